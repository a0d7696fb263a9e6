/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast, seedable generator.
///
/// The project's one source of reproducible randomness: random weights for tests, benchmarks
/// and the demo, starting noise, test data. The same seed gives the same stream on every
/// machine. Not for cryptography.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The state, advanced by the golden-ratio increment on every draw.
    @usableFromInline var state: UInt64

    /// A generator starting from `seed`.
    package init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    @inlinable
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)` with 24 random bits (every value exactly representable).
    @inlinable
    package mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1 / Float(1 << 24))
    }

    /// Uniform in `[-1, 1)`.
    @inlinable
    package mutating func nextSignedUnitFloat() -> Float {
        2 * nextUnitFloat() - 1
    }
}
