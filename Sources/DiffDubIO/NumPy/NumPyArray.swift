import DiffDubCore
import Foundation

/// An array read from (or to be written to) a NumPy `.npy` file: element type, shape and
/// the raw little-endian bytes in C order.
package struct NumPyArray: Sendable, Equatable {
    /// Element type.
    package var scalarType: ScalarType
    /// Shape, outermost first (empty for a scalar).
    package var shape: [Int]
    /// `elementCount * scalarType.byteSize` bytes, little-endian, C order.
    package var bytes: [UInt8]

    /// Number of elements.
    package var elementCount: Int { shape.reduce(1, *) }

    /// An array over raw bytes.
    ///
    /// - Precondition: `bytes.count == elementCount * scalarType.byteSize`.
    package init(scalarType: ScalarType, shape: [Int], bytes: [UInt8]) {
        precondition(bytes.count == shape.reduce(1, *) * scalarType.byteSize, "NumPyArray: byte count")
        self.scalarType = scalarType
        self.shape = shape
        self.bytes = bytes
    }

    /// A float32 array holding `tensor`.
    package init(_ tensor: Tensor) {
        self.scalarType = .float32
        self.shape = tensor.shape
        self.bytes = tensor.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
    }

    /// A uint8 array (images, masks).
    package init(uint8 values: [UInt8], shape: [Int]) {
        self.init(scalarType: .uint8, shape: shape, bytes: values)
    }

    /// An int64 array.
    package init(int64 values: [Int64], shape: [Int]) {
        self.init(
            scalarType: .int64, shape: shape,
            bytes: values.withUnsafeBytes { Array($0) })
    }

    /// The elements converted to `Float` (any numeric type), as a tensor of ``shape``.
    package func tensor() -> Tensor {
        var result = Tensor(zeros: shape)
        result.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBytes { raw in
                ScalarConversion.convert(raw, as: scalarType, into: out)
            }
        }
        return result
    }

    /// The elements as `UInt8`, or `nil` when the array is not uint8.
    package var uint8Values: [UInt8]? { scalarType == .uint8 ? bytes : nil }

    /// The elements as `Int64` (from any integer type), or `nil` for floating types.
    package var int64Values: [Int64]? {
        guard !scalarType.isFloatingPoint else { return nil }
        return tensorFreeIntegers()
    }

    private func tensorFreeIntegers() -> [Int64] {
        bytes.withUnsafeBytes { raw in
            (0..<elementCount).map { i in
                switch scalarType {
                case .int64: raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)
                case .int32: Int64(raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))
                case .int16: Int64(raw.loadUnaligned(fromByteOffset: i * 2, as: Int16.self))
                case .int8: Int64(raw.load(fromByteOffset: i, as: Int8.self))
                case .uint8, .bool: Int64(raw.load(fromByteOffset: i, as: UInt8.self))
                default: 0
                }
            }
        }
    }
}
