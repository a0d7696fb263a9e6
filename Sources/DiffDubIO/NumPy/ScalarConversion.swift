import DiffDubCore

/// Conversion of stored little-endian elements of any ``ScalarType`` to `Float`.
package enum ScalarConversion {
    /// Converts `out.count` elements of type `type` from `raw` into `out`.
    ///
    /// - Precondition: `raw.count >= out.count * type.byteSize`.
    package static func convert(
        _ raw: UnsafeRawBufferPointer, as type: ScalarType, into out: UnsafeMutableBufferPointer<Float>
    ) {
        let n = out.count
        precondition(raw.count >= n * type.byteSize, "ScalarConversion: short buffer")
        switch type {
        case .float32:
            if let src = raw.baseAddress, let dst = out.baseAddress {
                UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: n * 4)
            }
        case .float16:
            for i in 0..<n {
                out[i] = Float(Float16(bitPattern: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
            }
        case .bfloat16:
            for i in 0..<n {
                let bits = UInt32(raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)) << 16
                out[i] = Float(bitPattern: bits)
            }
        case .float64:
            for i in 0..<n { out[i] = Float(raw.loadUnaligned(fromByteOffset: i * 8, as: Double.self)) }
        case .int64:
            for i in 0..<n { out[i] = Float(raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)) }
        case .int32:
            for i in 0..<n { out[i] = Float(raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)) }
        case .int16:
            for i in 0..<n { out[i] = Float(raw.loadUnaligned(fromByteOffset: i * 2, as: Int16.self)) }
        case .int8:
            for i in 0..<n { out[i] = Float(raw.load(fromByteOffset: i, as: Int8.self)) }
        case .uint8, .bool:
            for i in 0..<n { out[i] = Float(raw.load(fromByteOffset: i, as: UInt8.self)) }
        }
    }
}
