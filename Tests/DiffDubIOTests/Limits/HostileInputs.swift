import Foundation

/// Hand-made hostile inputs, one per limit of ``DiffDubIO/ReaderLimits`` or attack the
/// readers must refuse cleanly (see Docs/RELIABILITY.md).
enum HostileInputs {
    /// Pickle: `EMPTY_TUPLE` then `TUPLE1` `depth` times (a deeply nested tuple), then STOP.
    static func nestedTuples(_ depth: Int) -> [UInt8] {
        [0x80, 0x02, 0x29] + [UInt8](repeating: 0x85, count: depth) + [0x2E]
    }

    /// Pickle: a "billion laughs" of tuples: `t = (t, t)` 60 times (2^60 leaves when expanded).
    static func doublingTuples(_ levels: Int) -> [UInt8] {
        var bytes: [UInt8] = [0x80, 0x02, 0x29]
        for _ in 0..<levels { bytes += [0x32, 0x86] }  // DUP, TUPLE2
        return bytes + [0x2E]
    }

    /// Pickle: `depth` empty lists, then `depth - 1` APPENDs: a chain of lists each holding
    /// the next, `depth` links long; with `thenFail`, a final APPEND onto a dict fails while
    /// the chain's head is held only by the decoder.
    static func chainedLists(_ depth: Int, thenFail: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = [0x80, 0x02] + (thenFail ? [0x7D] : [])
        bytes += [UInt8](repeating: 0x5D, count: depth) + [UInt8](repeating: 0x61, count: depth - 1)
        return bytes + (thenFail ? [0x61] : []) + [0x2E]
    }

    /// Pickle: a list of lists, each list appended `width` times to the next (shared boxes).
    static func doublingLists(_ levels: Int) -> [UInt8] {
        var bytes: [UInt8] = [0x80, 0x02, 0x5D, 0x71, 0x00]  // EMPTY_LIST, BINPUT 0
        for level in 0..<levels {
            // new list, MARK, GET prev, GET prev, APPENDS, BINPUT next
            bytes += [0x5D, 0x28, 0x68, UInt8(level), 0x68, UInt8(level), 0x65, 0x71, UInt8(level + 1)]
        }
        return bytes + [0x2E]
    }

    /// Pickle: `_rebuild_from_type_v2(f, None, (f, None, (... ), None), None)` nested `depth`
    /// times, then called (each level calls the next).
    static func nestedRebuildCalls(_ depth: Int) -> [UInt8] {
        let function: [UInt8] = [0x63] + Array("torch._tensor\n_rebuild_from_type_v2\n".utf8)
        var bytes: [UInt8] = [0x80, 0x02, 0x29, 0x72] + le(UInt32(0))  // EMPTY_TUPLE, LONG_BINPUT 0
        for level in 0..<depth {
            bytes += [0x28] + function + [0x4E, 0x6A] + le(UInt32(level)) + [0x4E, 0x74]  // MARK f None GET None TUPLE
            bytes += [0x72] + le(UInt32(level + 1))
        }
        return bytes + [0x30] + function + [0x6A] + le(UInt32(depth)) + [0x52, 0x2E]  // POP f GET REDUCE STOP
    }

    /// A zip end record announcing `entries` entries in a 46-byte central directory.
    static func zipClaimingEntries(_ entries: UInt16) -> [UInt8] {
        var bytes: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 26)
        let directoryOffset = UInt32(bytes.count)
        bytes += [0x50, 0x4B, 0x01, 0x02] + [UInt8](repeating: 0, count: 42)
        bytes += [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0]
        bytes += le(entries) + le(entries) + le(UInt32(46)) + le(directoryOffset) + [0, 0]
        return bytes
    }

    /// A `.npy` header declaring `shape` of float32 with no data.
    static func numPy(shape: String, headerLength: Int? = nil) -> [UInt8] {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        let length = headerLength ?? header.utf8.count
        return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0] + le(UInt16(truncatingIfNeeded: length)) + Array(header.utf8)
    }

    /// A `.npy` version 2 header claiming `length` bytes.
    static func numPyHeaderLength(_ length: UInt32) -> [UInt8] {
        [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 2, 0] + le(length) + Array("{'descr': '<f4'".utf8)
    }

    /// A PNG signature and IHDR of `width` x `height` RGB with no image data.
    static func pngHeader(width: UInt32, height: UInt32) -> [UInt8] {
        let ihdr: [UInt8] = Array("IHDR".utf8) + be(width) + be(height) + [8, 2, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + be(UInt32(13)) + ihdr + be(crc32(ihdr))
    }

    /// A 16-bit mono WAV whose header claims `claimedBytes` of samples but holds 4.
    static func wavClaiming(_ claimedBytes: UInt32) -> [UInt8] {
        var bytes: [UInt8] = Array("RIFF".utf8) + le(claimedBytes &+ 36) + Array("WAVEfmt ".utf8)
        bytes += le(UInt32(16)) + le(UInt16(1)) + le(UInt16(1)) + le(UInt32(16000)) + le(UInt32(32000))
        bytes += le(UInt16(2)) + le(UInt16(16))
        bytes += Array("data".utf8) + le(claimedBytes) + [1, 0, 2, 0]
        return bytes
    }

    /// A safetensors file whose one tensor claims `shape` over 4 bytes.
    static func safeTensors(shape: String) -> [UInt8] {
        let json = "{\"t\":{\"dtype\":\"F32\",\"shape\":\(shape),\"data_offsets\":[0,4]}}"
        return le(UInt64(json.utf8.count)) + Array(json.utf8) + [0, 0, 128, 63]
    }

    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
    static func be<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
