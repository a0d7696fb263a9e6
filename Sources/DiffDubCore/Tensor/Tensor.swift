/// A dense, row-major (C order) `Float` tensor.
///
/// `Tensor` is a value type with copy-on-write storage: copies share memory until one of
/// them is mutated through `withUnsafeMutableBufferPointer(_:)`, which copies the storage
/// first when it is shared or read-only (borrowed from a mapped checkpoint). Reshaping never
/// copies. There are no strided views: every tensor is contiguous, so kernels can hand the
/// memory straight to BLAS.
///
/// Shapes follow PyTorch's conventions: images are `[N, C, H, W]`, sequences `[N, T, C]`,
/// weights keep the layout of the checkpoint they came from (`Linear` is `[out, in]`).
public struct Tensor: @unchecked Sendable {
    /// The extent of each axis, outermost first.
    public private(set) var shape: [Int]
    @usableFromInline var storage: TensorStorage

    /// Number of elements (the product of ``shape``).
    @inlinable package var count: Int { storage.count }

    /// Number of axes.
    @inlinable package var rank: Int { shape.count }

    /// A tensor of the given shape filled with zeros.
    public init(zeros shape: [Int]) {
        self.shape = shape
        self.storage = TensorStorage(count: Tensor.elementCount(of: shape))
    }

    /// A tensor of the given shape with every element set to `value`.
    package init(shape: [Int], repeating value: Float) {
        self.init(zeros: shape)
        if value != 0 {
            storage.baseAddress.update(repeating: value, count: count)
        }
    }

    /// A tensor of the given shape holding `scalars` in row-major order.
    ///
    /// - Precondition: `scalars.count` equals the product of `shape`.
    public init(shape: [Int], scalars: [Float]) {
        let n = Tensor.elementCount(of: shape)
        precondition(n == scalars.count, "Tensor: \(scalars.count) scalars for shape \(shape)")
        self.init(zeros: shape)
        scalars.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { storage.baseAddress.update(from: base, count: n) }
        }
    }

    /// A tensor over existing storage.
    ///
    /// - Precondition: `storage.count` equals the product of `shape`.
    package init(shape: [Int], storage: TensorStorage) {
        precondition(
            Tensor.elementCount(of: shape) == storage.count,
            "Tensor: storage of \(storage.count) elements for shape \(shape)")
        self.shape = shape
        self.storage = storage
    }

    /// A rank-0 tensor holding one value.
    package init(scalar: Float) {
        self.init(shape: [], repeating: scalar)
    }

    /// The product of `shape`'s extents (1 for a scalar).
    ///
    /// - Precondition: no extent is negative.
    @inlinable
    package static func elementCount(of shape: [Int]) -> Int {
        var n = 1
        for extent in shape {
            precondition(extent >= 0, "negative extent in shape \(shape)")
            n *= extent
        }
        return n
    }

    /// All elements in row-major order.
    public var scalars: [Float] {
        Array(UnsafeBufferPointer(start: storage.baseAddress, count: count))
    }

    /// The same elements under another shape. One extent may be `-1`: it is inferred.
    ///
    /// - Precondition: the element counts agree.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.reduce(1) { $0 * $1.element }
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            resolved[inferred] = count / known
        }
        precondition(
            Tensor.elementCount(of: resolved) == count, "cannot reshape \(shape) to \(newShape)")
        var result = self
        result.shape = resolved
        return result
    }

    /// Calls `body` with the elements, read-only.
    @inlinable
    package func withUnsafeBufferPointer<R>(
        _ body: (UnsafeBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.baseAddress, count: count))
    }

    /// Calls `body` with writable elements, copying shared or read-only storage first.
    @inlinable
    package mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        makeUniquelyWritable()
        return try body(UnsafeMutableBufferPointer(start: storage.baseAddress, count: count))
    }

    /// Ensures the storage is owned by this value alone and writable.
    @usableFromInline
    mutating func makeUniquelyWritable() {
        if !isKnownUniquelyReferenced(&storage) || !storage.isWritable {
            storage = storage.copy()
        }
    }

    /// The element at a multi-dimensional index (bounds-checked; meant for tests and
    /// small look-ups, not for kernels).
    public subscript(_ index: Int...) -> Float {
        precondition(index.count == rank, "index \(index) for shape \(shape)")
        var offset = 0
        for (axis, i) in index.enumerated() {
            precondition(i >= 0 && i < shape[axis], "index \(index) out of range for \(shape)")
            offset = offset * shape[axis] + i
        }
        return storage.baseAddress[offset]
    }
}

extension Tensor: CustomStringConvertible {
    /// A short summary: shape and the first few values.
    public var description: String {
        let head = withUnsafeBufferPointer { Array($0.prefix(6)) }
        return "Tensor(shape: \(shape), values: \(head)\(count > 6 ? ", ..." : ""))"
    }
}
