import DiffDubCore
import Foundation

/// A tensor whose elements lie in a mapped file: `shape` elements of `scalarType`, element
/// `(i0, i1, ...)` at byte `byteOffset + (i0 * strides[0] + i1 * strides[1] + ...) * byteSize`.
///
/// Creating one validates the whole extent against the storage (so loading never reads
/// outside the file); ``load()`` maps contiguous, 4-byte aligned float32 data without copying
/// and converts everything else into an owned `Float` tensor.
package struct StoredTensor: Sendable {
    /// The mapped file.
    package let file: MappedFile
    /// How the elements are encoded.
    package let scalarType: ScalarType
    /// The tensor's shape.
    package let shape: [Int]
    /// Element strides, one per axis.
    package let strides: [Int]
    /// Byte offset of element `(0, 0, ...)` in the file.
    package let byteOffset: Int

    /// Validates a tensor of `shape`/`strides` starting `elementOffset` elements into a
    /// storage occupying `storageBytes` of `file`.
    ///
    /// - Throws: ``CheckpointError/tensorOutOfBounds(path:key:reason:)`` naming `key` when any
    ///   element would fall outside the storage, or when a view has more elements than its
    ///   storage and than `limits`' ``ReaderLimits/maximumBroadcastElements``.
    package init(
        file: MappedFile, key: String, scalarType: ScalarType, shape: [Int], strides: [Int],
        elementOffset: Int, storageBytes: Range<Int>, limits: ReaderLimits = .standard
    ) throws {
        func outOfBounds(_ reason: String) -> CheckpointError {
            .tensorOutOfBounds(path: file.path, key: key, reason: reason)
        }
        guard shape.count == strides.count else {
            throw outOfBounds("\(shape.count) sizes but \(strides.count) strides")
        }
        guard shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }), elementOffset >= 0 else {
            throw outOfBounds("negative size, stride or offset")
        }
        guard storageBytes.lowerBound >= 0, storageBytes.upperBound <= file.count else {
            throw outOfBounds("storage bytes \(storageBytes) lie outside the file (\(file.count) bytes)")
        }
        let storageElements = storageBytes.count / scalarType.byteSize
        var elementCount = 1
        var lastIndex = elementOffset
        for (extent, stride) in zip(shape, strides) {
            let (count, countOverflow) = elementCount.multipliedReportingOverflow(by: extent)
            guard !countOverflow else { throw outOfBounds("shape \(shape) is too large") }
            elementCount = count
            if extent > 0 {
                let (reach, reachOverflow) = (extent - 1).multipliedReportingOverflow(by: stride)
                let (sum, sumOverflow) = lastIndex.addingReportingOverflow(reach)
                guard !reachOverflow, !sumOverflow else { throw outOfBounds("strides \(strides) are too large") }
                lastIndex = sum
            }
        }
        let broadcastLimit = limits.maximumBroadcastElements
        if elementCount > max(storageElements, broadcastLimit) {
            throw outOfBounds(
                "shape \(shape) has \(elementCount) elements but its storage holds \(storageElements) "
                    + "(limit \(broadcastLimit) for broadcast views, DIFFDUB_MAX_BROADCAST_ELEMENTS)")
        }
        if elementCount > 0 && lastIndex >= storageElements {
            throw outOfBounds(
                "offset \(elementOffset), shape \(shape), strides \(strides) reach element \(lastIndex) "
                    + "but its storage holds \(storageElements) \(scalarType) elements")
        }
        self.file = file
        self.scalarType = scalarType
        self.shape = shape
        self.strides = strides
        self.byteOffset = storageBytes.lowerBound + min(elementOffset, storageElements) * scalarType.byteSize
    }

    /// Number of elements.
    package var elementCount: Int { shape.reduce(1, *) }

    /// Whether the strides are row-major for ``shape`` (axes of extent 1 may have any stride).
    package var isContiguous: Bool {
        var expected = 1
        for axis in shape.indices.reversed() {
            if shape[axis] != 1 && strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// The elements as a `Float` tensor: zero-copy for contiguous aligned float32 data,
    /// converted (storage offset and strides applied) otherwise.
    package func load() -> Tensor {
        let count = elementCount
        guard count > 0, let base = file.bytes.baseAddress else { return Tensor(zeros: shape) }
        let start = base + byteOffset
        if scalarType == .float32 && isContiguous && Int(bitPattern: start) % MemoryLayout<Float>.alignment == 0 {
            let pointer = start.assumingMemoryBound(to: Float.self)
            return Tensor(shape: shape, storage: TensorStorage(borrowing: pointer, count: count, owner: file))
        }
        let size = scalarType.byteSize
        var result = Tensor(zeros: shape)
        if isContiguous {
            result.withUnsafeMutableBufferPointer { out in
                ScalarConversion.convert(
                    UnsafeRawBufferPointer(start: start, count: count * size), as: scalarType, into: out)
            }
            return result
        }
        // Strided: gather the elements in row-major order, then convert them in one pass.
        let gathered = storedBytes()
        result.withUnsafeMutableBufferPointer { out in
            gathered.withUnsafeBytes { ScalarConversion.convert($0, as: scalarType, into: out) }
        }
        return result
    }

    /// The elements as stored, row-major: `elementCount * scalarType.byteSize` little-endian
    /// bytes of ``scalarType`` (strides and the storage offset applied, values unchanged).
    package func storedBytes() -> [UInt8] {
        let count = elementCount
        let size = scalarType.byteSize
        guard count > 0, let base = file.bytes.baseAddress else { return [] }
        let start = base + byteOffset
        if isContiguous {
            return Array(UnsafeRawBufferPointer(start: start, count: count * size))
        }
        return gatherRowMajor(from: start, count: count, elementSize: size, shape: shape, strides: strides)
    }

    /// A lazily loading record of this tensor (as `Float`, or as stored).
    package var record: TensorRecord {
        let tensor = self
        return TensorRecord(
            scalarType: scalarType, shape: shape, loader: { tensor.load() }, storedBytes: { tensor.storedBytes() })
    }
}
