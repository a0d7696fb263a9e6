import Foundation

/// Bytes of a valid safetensors checkpoint of exactly `count` bytes (at least 128): one `U8`
/// tensor `weights` filling the rest with deterministic bytes that differ from `seed` to
/// `seed`. For download tests, whose files must parse as checkpoints to be kept.
package func checkpointPayload(_ count: Int, seed: UInt64 = 1) -> Data {
    precondition(count >= 128, "a checkpoint payload needs at least 128 bytes")
    // The header is padded with spaces to a fixed 96 bytes, so the data length is known first.
    let headerLength = 96
    let dataLength = count - 8 - headerLength
    var header = "{\"weights\":{\"dtype\":\"U8\",\"shape\":[\(dataLength)],\"data_offsets\":[0,\(dataLength)]}}"
    header += String(repeating: " ", count: headerLength - header.utf8.count)
    var bytes = Data()
    withUnsafeBytes(of: UInt64(headerLength).littleEndian) { bytes.append(contentsOf: $0) }
    bytes.append(Data(header.utf8))
    var state = seed
    bytes.append(
        contentsOf: (0..<dataLength).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        })
    return bytes
}
