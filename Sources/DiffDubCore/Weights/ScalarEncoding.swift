/// `Float` values encoded as the elements of a stored ``ScalarType`` (little-endian), for
/// records of tensors in memory that are written to a file.
enum ScalarEncoding {
    /// The bytes of `tensor`'s elements as `type`: float16 and bfloat16 round to nearest
    /// (even), float64 is exact, integer types truncate toward zero (saturating), bool is
    /// `value != 0`.
    static func encode(_ tensor: Tensor, as type: ScalarType) -> [UInt8] {
        let values = tensor.scalars
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * type.byteSize)
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        func integer<T: FixedWidthInteger>(_ value: Float, as _: T.Type) -> T {
            guard value.isFinite else { return value > 0 ? T.max : (value < 0 ? T.min : 0) }
            let rounded = value.rounded(.towardZero)
            if rounded >= Float(T.max) { return T.max }
            if rounded <= Float(T.min) { return T.min }
            return T(rounded)
        }
        for value in values {
            switch type {
            case .float32: append(value.bitPattern)
            case .float64: append(Double(value).bitPattern)
            case .float16: append(float16Bits(value))
            case .bfloat16: append(bfloat16Bits(value))
            case .int64: append(integer(value, as: Int64.self))
            case .int32: append(integer(value, as: Int32.self))
            case .int16: append(integer(value, as: Int16.self))
            case .int8: append(integer(value, as: Int8.self))
            case .uint8: append(integer(value, as: UInt8.self))
            case .bool: bytes.append(value != 0 ? 1 : 0)
            }
        }
        return bytes
    }

    /// IEEE half precision, round to nearest even.
    static func float16Bits(_ value: Float) -> UInt16 { Float16(value).bitPattern }

    /// The upper 16 bits of `value`, rounded to nearest even (NaN stays NaN).
    static func bfloat16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(bits >> 16) | 0x0040 }
        let rounding = 0x7FFF + ((bits >> 16) & 1)
        return UInt16((bits &+ rounding) >> 16)
    }
}
