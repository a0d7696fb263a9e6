/// `e^x` in `Float` without a library call, so loops over it vectorise.
///
/// Range reduction `x = n ln 2 + r` with `|r| <= ln 2 / 2` (`ln 2` split in two parts for an
/// exact product), a degree-7 minimax polynomial for `e^r` (Cephes `expf` coefficients,
/// relative error about 1e-7 over the range), and `2^n` assembled in the exponent bits.
/// Above 88.3 the result is `+infinity`, below -87.3 it is 0 (no denormals; so a `-infinity`
/// mask entry gets exactly zero weight in a softmax); NaN stays NaN.
@inline(__always)
func fastExp(_ x: Float) -> Float {
    let clamped = min(max(x, -87.3), 88.3)
    // Round to nearest with the 1.5 * 2^23 trick (exact for |value| < 2^22).
    let shifter: Float = 12_582_912
    let shifted = clamped * 1.442_695_04 + shifter
    let n = shifted - shifter
    let r = (clamped - n * 0.693_359_375) - n * -2.121_944_4e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    let er = p * r * r + r + 1
    // `shifted`'s low mantissa bits hold n: its bit pattern is 0x4B40_0000 + n. Integer
    // arithmetic only, so a NaN input cannot trap (it propagates through `er`).
    let scale = Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) << 23)
    let value = er * scale
    return x > 88.3 ? .infinity : (x < -87.3 ? 0 : value)
}

/// `erf(x)` in `Float` without a library call (Abramowitz and Stegun 7.1.26 on `|x|` with
/// ``fastExp(_:)``, odd symmetry for negative `x`): absolute error below 2e-7, so loops over it
/// (GELU) vectorise.
@inline(__always)
func fastErf(_ x: Float) -> Float {
    let magnitude = abs(x)
    let t = 1 / (1 + 0.327_591_1 * magnitude)
    var p: Float = 1.061_405_429
    p = p * t - 1.453_152_027
    p = p * t + 1.421_413_741
    p = p * t - 0.284_496_736
    p = p * t + 0.254_829_592
    let y = 1 - p * t * fastExp(-magnitude * magnitude)
    return x < 0 ? -y : y
}

/// `e^(-z)` on each lane, the `exp` of SiLU and the sigmoid, about 2e-7 relative error (the
/// scalar ``fastExp(_:)`` has 1.2e-7): the same range reduction with the negation folded into
/// the constants, then `e^r = 1 + r + r^2 P(r)` with a cubic `P` (coefficients fitted for this
/// kernel: weighted minimax of the relative error on `|r| <= ln 2 / 2`, 1.05e-7 before `Float`
/// rounding) in Estrin's form, two degrees below ``fastExp(_:)``'s, which made SiLU 20 %
/// cheaper. `z` is clamped to `[-87.3, 87.3]` instead of the infinity and zero selects:
/// below, the result stays at `e^87.3` (about 8e37, so `z / (1 + e^(-z))` is within 1e-35 of
/// its limit 0 and `1 / (1 + e^(-z))` is still a normal number), above at `e^-87.3` (1 + that
/// rounds to 1). NaN stays NaN.
@inline(__always)
func fastExpOfNegated(_ z: FloatVector) -> FloatVector {
    let c = lanewiseMinimum(lanewiseMaximum(z, FloatVector(repeating: -87.3)), FloatVector(repeating: 87.3))
    // -c = n ln 2 + r, n = round(-c / ln 2) with the 1.5 * 2^23 trick; s = -r.
    let shifter = FloatVector(repeating: 12_582_912)
    let shifted = multiplyAdd(c, FloatVector(repeating: -1.442_695_04), shifter)
    let n = shifted - shifter
    let s = multiplyAdd(
        n, FloatVector(repeating: -2.121_944_4e-4), multiplyAdd(n, FloatVector(repeating: 0.693_359_375), c))
    // e^r = 1 + r + r^2 P(r), P(r) = 0.49999231 + 0.16667114 r + 0.041890115 r^2 + 0.0083125252 r^3,
    // evaluated at r = -s (the odd coefficients change sign).
    let s2 = s * s
    let high = multiplyAdd(s, FloatVector(repeating: -8.312_525_2e-3), FloatVector(repeating: 4.189_011_5e-2))
    let low = multiplyAdd(s, FloatVector(repeating: -1.666_711_4e-1), FloatVector(repeating: 4.999_923_1e-1))
    let er = multiplyAdd(multiplyAdd(high, s2, low), s2, 1 - s)
    // 2^n from the bits of `shifted` (0x4B40_0000 + n), n in [-126, 126].
    let bits = unsafeBitCast(shifted, to: SIMD8<UInt32>.self)
    let scale = unsafeBitCast((bits &- (0x4B40_0000 &- 127)) &<< 23, to: FloatVector.self)
    return er * scale
}

/// SiLU `z / (1 + e^-z)` on each lane (``fastExpOfNegated(_:)``; about 3e-7 relative error).
/// The division costs about a tenth of the time on SSE; portable Swift has no reciprocal
/// estimate to replace it with.
@inline(__always)
func siluLanes(_ z: FloatVector) -> FloatVector {
    z / (1 + fastExpOfNegated(z))
}

/// The logistic sigmoid `1 / (1 + e^-z)` on each lane (``fastExpOfNegated(_:)``).
@inline(__always)
func sigmoidLanes(_ z: FloatVector) -> FloatVector {
    1 / (1 + fastExpOfNegated(z))
}
