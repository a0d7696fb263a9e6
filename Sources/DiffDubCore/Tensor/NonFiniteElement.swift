/// Where a tensor holds a NaN or an infinity, and which: what ``Tensor/firstNonFinite()``
/// returns so that a caller can refuse an input naming the first bad element.
public struct NonFiniteElement: Sendable, Equatable, CustomStringConvertible {
    /// Row-major offset of the element.
    public let offset: Int
    /// Its index on each axis, outermost first (empty for a scalar).
    public let index: [Int]
    /// The value: `nan`, `inf` or `-inf`.
    public let value: Float

    /// An element at `offset` of a tensor of `shape`.
    public init(offset: Int, shape: [Int], value: Float) {
        var index = [Int](repeating: 0, count: shape.count)
        var rest = offset
        for axis in shape.indices.reversed() where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        self.offset = offset
        self.index = index
        self.value = value
    }

    /// `element [0, 3, 17] is nan`.
    public var description: String { "element \(index) is \(value)" }
}

extension Tensor {
    /// The first NaN or infinity in row-major order, or nil when every element is finite
    /// (one vectorised pass, ``NonFiniteScan``).
    public func firstNonFinite() -> NonFiniteElement? {
        withUnsafeBufferPointer { buffer in
            NonFiniteScan.firstIndex(in: buffer).map {
                NonFiniteElement(offset: $0, shape: shape, value: buffer[$0])
            }
        }
    }
}
