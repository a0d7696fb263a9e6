import Foundation

/// Group normalisation of `x` `[N, C, ...]`: for each sample `n` and group `g` of `C / groups`
/// consecutive channels, `mean` and biased `var` over the group's channels and all trailing
/// positions (``meanAndVariance(of:)``: two vectorised passes, block sums combined in
/// `Double`), then `y = (x - mean) / sqrt(var + eps) * weight[c] + bias[c]` (`weight`,
/// `bias` `[C]`, optional).
package func groupNorm(_ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
    groupNorm(x, groups: groups, weight: weight, bias: bias, eps: eps, scale: nil, shift: nil, silu: false)
}

/// Group normalisation fused with a per-sample modulation and an optional SiLU:
/// `z = groupNorm(x) * scale[n, c] + shift[n, c]`, then `y = silu ? z * sigmoid(z) : z`.
///
/// `scale` and `shift` are `[N, C]` (any shape with `N * C` elements), optional (1 and 0).
/// This is the diffusion ResBlock's `GN(h) * (1 + s) + t` with `scale = 1 + s` precomputed,
/// and `SiLU(GN(x))` with both `nil`; one pass over the data instead of three.
package func groupNorm(
    _ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Float,
    scale: Tensor?, shift: Tensor?, silu: Bool
) -> Tensor {
    precondition(x.rank >= 2, "groupNorm: input must be [N, C, ...], got \(x.shape)")
    let (batch, channels) = (x.shape[0], x.shape[1])
    precondition(
        groups >= 1 && channels % groups == 0,
        "groupNorm: \(channels) channels of \(x.shape) not divisible into \(groups) groups")
    for (name, p) in [("weight", weight), ("bias", bias)] {
        if let p { precondition(p.count == channels, "groupNorm: \(name) \(p.shape) for input \(x.shape)") }
    }
    for (name, p) in [("scale", scale), ("shift", shift)] {
        if let p {
            precondition(
                p.count == batch * channels, "groupNorm: \(name) \(p.shape) is not [N, C] for input \(x.shape)")
        }
    }
    let spatial = x.count / max(1, batch * channels)
    let groupChannels = channels / groups
    let groupSize = groupChannels * spatial
    let (result, y) = makeUninitializedOutput(x.shape)
    let px = x.readPointer
    let pw = weight?.readPointer
    let pb = bias?.readPointer
    let ps = scale?.readPointer
    let pt = shift?.readPointer
    parallelFor(batch * groups, minimumChunk: max(1, elementwiseChunk / max(1, groupSize))) { range in
        for unit in range {
            let n = unit / groups
            let base = unit * groupSize
            let (mean, variance) = meanAndVariance(px + base, count: groupSize)
            let inverse = Float(1 / (variance + Double(eps)).squareRoot())
            // The mean as a Float pair (high + low part): x - high is exact when |mean| is far
            // larger than the spread, and the low part goes into the offset below.
            let meanHigh = Float(mean)
            let meanLow = Float(mean - Double(meanHigh))
            for channel in 0..<groupChannels {
                let c = (unit % groups) * groupChannels + channel
                // y = (x - mean) * a + b folds normalisation, affine and modulation.
                let s = ps?[n * channels + c] ?? 1
                let a = inverse * (pw?[c] ?? 1) * s
                let b = (pb?[c] ?? 0) * s + (pt?[n * channels + c] ?? 0)
                let affine = CentredAffine(center: meanHigh, scale: a, offset: b - meanLow * a)
                let source = px + base + channel * spatial
                let target = y + base + channel * spatial
                if silu {
                    applyLanewise(CentredAffineSiLU(affine: affine), from: source, to: target, count: spatial)
                } else {
                    applyLanewise(affine, from: source, to: target, count: spatial)
                }
            }
        }
    }
    return result
}

/// Layer normalisation over the last axis `D` of `x`: per row, `mean` and biased `var`
/// (``meanAndVariance(of:)``, accurate enough that a tiny `eps` such as 1e-12 is honoured),
/// then `y = (x - mean) / sqrt(var + eps) * weight + bias` with `weight`, `bias` `[D]`
/// (optional).
package func layerNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
    precondition(x.rank >= 1, "layerNorm: input must have rank >= 1")
    let features = x.shape[x.rank - 1]
    for (name, p) in [("weight", weight), ("bias", bias)] {
        if let p { precondition(p.count == features, "layerNorm: \(name) \(p.shape) for input \(x.shape)") }
    }
    let rows = x.count / max(1, features)
    let (result, y) = makeUninitializedOutput(x.shape)
    let px = x.readPointer
    // Missing parameters as ones and zeros, so that one loop serves every case: an optional
    // read per element (`pw?[i] ?? 1`) became masked loads from address 0 in an AVX2 build,
    // which cost a microcode assist each (15 ns per element instead of 1).
    let w = weight ?? Tensor(shape: [features], repeating: 1)
    let b = bias ?? Tensor(zeros: [features])
    let pw = w.readPointer
    let pb = b.readPointer
    // w and b are locals: keep them alive while the kernel reads through their pointers.
    withExtendedLifetime((w, b)) {
        parallelFor(rows, minimumChunk: max(1, elementwiseChunk / max(1, features))) { range in
            for row in range {
                let source = px + row * features
                let target = y + row * features
                let (mean, variance) = meanAndVariance(source, count: features)
                let inverse = 1 / (variance + Double(eps)).squareRoot()
                let meanHigh = Float(mean)
                let meanLow = Float(mean - Double(meanHigh))
                let inverseF = Float(inverse)
                for i in 0..<features { target[i] = ((source[i] - meanHigh) - meanLow) * inverseF * pw[i] + pb[i] }
            }
        }
    }
    return result
}

/// Batch normalisation in inference mode over axis 1 of `x` `[N, C, ...]`:
/// `y = (x - runningMean[c]) / sqrt(runningVariance[c] + eps) * weight[c] + bias[c]`
/// (`weight`, `bias` optional).
package func batchNorm(
    _ x: Tensor, runningMean: Tensor, runningVariance: Tensor, weight: Tensor?, bias: Tensor?, eps: Float
) -> Tensor {
    precondition(x.rank >= 2, "batchNorm: input must be [N, C, ...], got \(x.shape)")
    let (batch, channels) = (x.shape[0], x.shape[1])
    for (name, p) in [
        ("runningMean", runningMean), ("runningVariance", runningVariance), ("weight", weight), ("bias", bias),
    ] {
        if let p { precondition(p.count == channels, "batchNorm: \(name) \(p.shape) for input \(x.shape)") }
    }
    let spatial = x.count / max(1, batch * channels)
    let pm = runningMean.readPointer
    let pv = runningVariance.readPointer
    let pw = weight?.readPointer
    let pb = bias?.readPointer
    var a = [Float](repeating: 0, count: channels)
    var b = [Float](repeating: 0, count: channels)
    for c in 0..<channels {
        a[c] = (pw?[c] ?? 1) / (pv[c] + eps).squareRoot()
        b[c] = (pb?[c] ?? 0) - pm[c] * a[c]
    }
    let (result, y) = makeOutput(x.shape)
    let px = x.readPointer
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            parallelFor(batch * channels, minimumChunk: max(1, elementwiseChunk / max(1, spatial))) { range in
                for plane in range {
                    let c = plane % channels
                    let (ac, bc) = (a[c], b[c])
                    let source = px + plane * spatial
                    let target = y + plane * spatial
                    for i in 0..<spatial { target[i] = source[i] * ac + bc }
                }
            }
        }
    }
    return result
}

/// `y = (x - center) * scale + offset` on 8 lanes: a normalisation with its affine map folded
/// in. Subtracting the centre first keeps `x - center` exact when the values sit far from zero.
struct CentredAffine: LanewiseFunction {
    let center: FloatVector
    let scale: FloatVector
    let offset: FloatVector

    /// The map for scalar parameters.
    init(center: Float, scale: Float, offset: Float) {
        self.center = FloatVector(repeating: center)
        self.scale = FloatVector(repeating: scale)
        self.offset = FloatVector(repeating: offset)
    }

    @inline(__always)
    func callAsFunction(_ x: FloatVector) -> FloatVector { multiplyAdd(x - center, scale, offset) }
}

/// ``CentredAffine`` followed by SiLU (``siluLanes(_:)``): the fused GroupNorm + SiLU.
struct CentredAffineSiLU: LanewiseFunction {
    let affine: CentredAffine

    @inline(__always)
    func callAsFunction(_ x: FloatVector) -> FloatVector { siluLanes(affine(x)) }
}
