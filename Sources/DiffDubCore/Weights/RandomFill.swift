/// A tensor of values uniform in `center ± halfWidth`, reproducible from `seed`.
///
/// The elements are generated in chunks of 2^16, each from its own SplitMix64 stream
/// seeded by `seed` and the chunk index, so the result does not depend on the thread count.
func uniformRandomTensor(_ shape: [Int], center: Float, halfWidth: Float, seed: UInt64) -> Tensor {
    var tensor = Tensor(zeros: shape)
    let chunk = 1 << 16
    let count = tensor.count
    let chunks = (count + chunk - 1) / chunk
    let scale = 2 * halfWidth / Float(1 << 24)
    let offset = center - halfWidth
    tensor.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        nonisolated(unsafe) let out = base
        parallelFor(chunks, minimumChunk: 4) { range in
            for c in range {
                var state = seed &+ UInt64(c) &* 0x9E37_79B9_7F4A_7C15
                var i = c * chunk
                let end = min(count, i + chunk)
                while i < end {
                    state &+= 0x9E37_79B9_7F4A_7C15
                    var z = state
                    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                    z ^= z >> 31
                    out[i] = Float(UInt32(truncatingIfNeeded: z) >> 8) * scale + offset
                    if i + 1 < end { out[i + 1] = Float(UInt32(truncatingIfNeeded: z >> 32) >> 8) * scale + offset }
                    i += 2
                }
            }
        }
    }
    return tensor
}
