import Foundation

/// Reproducible standard-normal noise for the sampler's starting image `x_T`.
///
/// SplitMix64 bits through the Box-Muller transform (in `Double`, rounded to `Float`).
/// The same seed gives the same tensor on every machine; it does not reproduce
/// `torch.randn` (pass the original's noise explicitly when comparing with it).
package enum GaussianNoise {
    /// A tensor of `shape` with independent N(0, 1) elements drawn from `seed`.
    package static func sample(shape: [Int], seed: UInt64) -> Tensor {
        let count = Tensor.elementCount(of: shape)
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var values: [Float] = []
        values.reserveCapacity(count + 1)
        while values.count < count {
            // u1 in (0, 1], u2 in [0, 1): 53-bit uniforms.
            let u1 = (Double(next() >> 11) + 1) / 9_007_199_254_740_992
            let u2 = Double(next() >> 11) / 9_007_199_254_740_992
            let radius = (-2 * log(u1)).squareRoot()
            values.append(Float(radius * cos(2 * Double.pi * u2)))
            values.append(Float(radius * sin(2 * Double.pi * u2)))
        }
        return Tensor(shape: shape, scalars: Array(values.prefix(count)))
    }
}
