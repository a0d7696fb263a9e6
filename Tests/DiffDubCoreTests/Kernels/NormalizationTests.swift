import DiffDubCore
import Foundation
import TestSupport
import Testing

/// Group norm with Double statistics, written out per (sample, group).
private func referenceGroupNorm(
    _ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Float,
    scale: Tensor? = nil, shift: Tensor? = nil, silu: Bool = false
) -> Tensor {
    let (n, c) = (x.shape[0], x.shape[1])
    let spatial = x.count / (n * c)
    let cg = c / groups
    var y = x.scalars
    let xs = x.scalars
    for b in 0..<n {
        for g in 0..<groups {
            var values: [Double] = []
            for ch in (g * cg)..<((g + 1) * cg) {
                for i in 0..<spatial { values.append(Double(xs[(b * c + ch) * spatial + i])) }
            }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
            for ch in (g * cg)..<((g + 1) * cg) {
                for i in 0..<spatial {
                    let index = (b * c + ch) * spatial + i
                    var v = (Double(xs[index]) - mean) / (variance + Double(eps)).squareRoot()
                    v = v * Double(weight?.scalars[ch] ?? 1) + Double(bias?.scalars[ch] ?? 0)
                    v = v * Double(scale?.scalars[b * c + ch] ?? 1) + Double(shift?.scalars[b * c + ch] ?? 0)
                    if silu { v = v / (1 + exp(-v)) }
                    y[index] = Float(v)
                }
            }
        }
    }
    return Tensor(shape: x.shape, scalars: y)
}

/// Layer norm over the last axis with Double statistics.
private func referenceLayerNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
    let d = x.shape.last!
    let xs = x.scalars
    var y = xs
    for row in 0..<(x.count / d) {
        let values = (0..<d).map { Double(xs[row * d + $0]) }
        let mean = values.reduce(0, +) / Double(d)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(d)
        for i in 0..<d {
            let v = (values[i] - mean) / (variance + Double(eps)).squareRoot()
            y[row * d + i] = Float(v * Double(weight?.scalars[i] ?? 1) + Double(bias?.scalars[i] ?? 0))
        }
    }
    return Tensor(shape: x.shape, scalars: y)
}

@Suite struct NormalizationTests {
    @Test(arguments: [
        (32, [2, 64, 5, 3]), (64, [1, 64, 4, 4]), (3, [3, 33, 7, 5]), (1, [2, 6, 9]), (512, [1, 512, 7]),
    ])
    func groupNormMatchesReference(groups: Int, shape: [Int]) {
        let channels = shape[1]
        let x = randomTensor(shape, seed: UInt64(groups * 100 + shape.count), in: -3...5)
        let w = randomTensor([channels], seed: 2)
        let b = randomTensor([channels], seed: 3)
        expectClose(
            groupNorm(x, groups: groups, weight: w, bias: b, eps: 1e-5),
            referenceGroupNorm(x, groups: groups, weight: w, bias: b, eps: 1e-5))
        expectClose(
            groupNorm(x, groups: groups, weight: nil, bias: nil, eps: 1e-5),
            referenceGroupNorm(x, groups: groups, weight: nil, bias: nil, eps: 1e-5))
    }

    @Test func groupNormFusedModulationAndSiLU() {
        let x = randomTensor([2, 64, 5, 3], seed: 10, in: -2...2)
        let w = randomTensor([64], seed: 11)
        let b = randomTensor([64], seed: 12)
        let scale = randomTensor([2, 64], seed: 13, in: 0...2)
        let shift = randomTensor([2, 64], seed: 14)
        expectClose(
            groupNorm(x, groups: 32, weight: w, bias: b, eps: 1e-5, scale: scale, shift: shift, silu: true),
            referenceGroupNorm(x, groups: 32, weight: w, bias: b, eps: 1e-5, scale: scale, shift: shift, silu: true))
        expectClose(
            groupNorm(x, groups: 32, weight: w, bias: b, eps: 1e-5, scale: nil, shift: nil, silu: true),
            silu(groupNorm(x, groups: 32, weight: w, bias: b, eps: 1e-5)))
    }

    @Test func groupNormKeepsPrecisionWithALargeOffset() {
        // Mean 1000, spread 1e-2: a one-pass Float variance would lose most digits.
        let noise = randomTensor([1, 4, 64, 64], seed: 15, in: -0.01...0.01)
        let x = noise + 1000
        expectClose(
            groupNorm(x, groups: 2, weight: nil, bias: nil, eps: 1e-6),
            referenceGroupNorm(x, groups: 2, weight: nil, bias: nil, eps: 1e-6), tolerance: 2e-3)
    }

    @Test func groupNormFusedSiLUOverTheWholeExpRange() {
        // Weights up to 40 push z = GN(x) * w + b to about +-150, past the clamps of exp; 91
        // positions per channel exercise the vector tail.
        let x = randomTensor([2, 8, 13, 7], seed: 16, in: -2...3)
        let w = randomTensor([8], seed: 17, in: -40...40)
        let b = randomTensor([8], seed: 18, in: -5...5)
        let scale = randomTensor([2, 8], seed: 19, in: 0.5...1.5)
        let shift = randomTensor([2, 8], seed: 20)
        let fused = groupNorm(x, groups: 4, weight: w, bias: b, eps: 1e-5, scale: scale, shift: shift, silu: true)
        expectClose(
            fused, referenceGroupNorm(x, groups: 4, weight: w, bias: b, eps: 1e-5, scale: scale, shift: shift, silu: true))
        let plain = groupNorm(x, groups: 4, weight: w, bias: b, eps: 1e-5, scale: scale, shift: shift, silu: false)
        expectClose(fused, silu(plain), tolerance: 1e-6)
    }

    @Test func groupNormKeepsPrecisionWithALargeOffsetAndOddCounts() {
        // Mean -3e4 (Float spacing 2e-3 there), spread 0.5, 3 * 37 values per group.
        let noise = randomTensor([2, 6, 37], seed: 24, in: -0.5...0.5)
        let x = noise + -3e4
        expectClose(
            groupNorm(x, groups: 2, weight: nil, bias: nil, eps: 1e-6),
            referenceGroupNorm(x, groups: 2, weight: nil, bias: nil, eps: 1e-6), tolerance: 1e-4)
    }

    @Test(arguments: [Float(1e-12), 1e-5])
    func layerNormMatchesReference(eps: Float) {
        let x = randomTensor([2, 7, 33], seed: 20, in: -4...4)
        let w = randomTensor([33], seed: 21)
        let b = randomTensor([33], seed: 22)
        expectClose(layerNorm(x, weight: w, bias: b, eps: eps), referenceLayerNorm(x, weight: w, bias: b, eps: eps))
        expectClose(
            layerNorm(x, weight: nil, bias: nil, eps: eps), referenceLayerNorm(x, weight: nil, bias: nil, eps: eps))
    }

    @Test func layerNormWithTinyEpsOnNearlyConstantRows() {
        // Variance ~1e-10: eps 1e-12 must barely change it, eps 1e-5 would flatten the row.
        let x = randomTensor([3, 16], seed: 23, in: -1e-5...1e-5) + 0.5
        let y = layerNorm(x, weight: nil, bias: nil, eps: 1e-12)
        expectClose(y, referenceLayerNorm(x, weight: nil, bias: nil, eps: 1e-12), tolerance: 1e-2)
        let ys = y.scalars
        let rowVariance = (0..<16).map { ys[$0] * ys[$0] }.reduce(0, +) / 16
        #expect(abs(rowVariance - 1) < 0.05)
    }

    @Test func batchNormInference() {
        let x = randomTensor([2, 5, 7], seed: 30)
        let mean = randomTensor([5], seed: 31)
        let variance = randomTensor([5], seed: 32, in: 0.1...2)
        let w = randomTensor([5], seed: 33)
        let b = randomTensor([5], seed: 34)
        let xs = x.scalars
        let ms = mean.scalars
        let vs = variance.scalars
        let ws = w.scalars
        let bs = b.scalars
        var expected = xs
        for n in 0..<2 {
            for c in 0..<5 {
                for t in 0..<7 {
                    let i = (n * 5 + c) * 7 + t
                    expected[i] = (xs[i] - ms[c]) / (vs[c] + 1e-5).squareRoot() * ws[c] + bs[c]
                }
            }
        }
        expectClose(
            batchNorm(x, runningMean: mean, runningVariance: variance, weight: w, bias: b, eps: 1e-5),
            Tensor(shape: x.shape, scalars: expected))
    }
}
