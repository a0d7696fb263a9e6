import DiffDubCore
import TestSupport
import Testing

/// Direct 3-D cross-correlation with per-axis stride and zero padding.
private func referenceConv3d(
    _ x: Tensor, _ w: Tensor, _ bias: Tensor?, stride s: Extent3, padding p: Extent3
) -> Tensor {
    let (n, c, d, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], x.shape[4])
    let (o, kd, kh, kw) = (w.shape[0], w.shape[2], w.shape[3], w.shape[4])
    let dOut = (d + 2 * p.depth - kd) / s.depth + 1
    let hOut = (h + 2 * p.height - kh) / s.height + 1
    let wOut = (wd + 2 * p.width - kw) / s.width + 1
    let (xs, ws, bs) = (x.scalars, w.scalars, bias?.scalars)
    var y = [Float](repeating: 0, count: n * o * dOut * hOut * wOut)
    for b in 0..<n {
        for oc in 0..<o {
            for t in 0..<dOut {
                for i in 0..<hOut {
                    for j in 0..<wOut {
                        var total = bs?[oc] ?? 0
                        for ic in 0..<c {
                            for a in 0..<kd {
                                let it = t * s.depth + a - p.depth
                                if it < 0 || it >= d { continue }
                                for u in 0..<kh {
                                    let iy = i * s.height + u - p.height
                                    if iy < 0 || iy >= h { continue }
                                    for v in 0..<kw {
                                        let ix = j * s.width + v - p.width
                                        if ix < 0 || ix >= wd { continue }
                                        total +=
                                            ws[(((oc * c + ic) * kd + a) * kh + u) * kw + v]
                                            * xs[(((b * c + ic) * d + it) * h + iy) * wd + ix]
                                    }
                                }
                            }
                        }
                        y[(((b * o + oc) * dOut + t) * hOut + i) * wOut + j] = total
                    }
                }
            }
        }
    }
    return Tensor(shape: [n, o, dOut, hOut, wOut], scalars: y)
}

/// Direct 3-D max pooling (floor mode, padding never wins).
private func referenceMaxPool3d(_ x: Tensor, kernel k: Extent3, stride s: Extent3, padding p: Extent3) -> Tensor {
    let (n, c, d, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], x.shape[4])
    let dOut = (d + 2 * p.depth - k.depth) / s.depth + 1
    let hOut = (h + 2 * p.height - k.height) / s.height + 1
    let wOut = (w + 2 * p.width - k.width) / s.width + 1
    let xs = x.scalars
    var y: [Float] = []
    for plane in 0..<(n * c) {
        for t in 0..<dOut {
            for i in 0..<hOut {
                for j in 0..<wOut {
                    var best = -Float.infinity
                    for a in 0..<k.depth {
                        for u in 0..<k.height {
                            for v in 0..<k.width {
                                let (it, iy, ix) = (t * s.depth + a - p.depth, i * s.height + u - p.height, j * s.width + v - p.width)
                                guard (0..<d).contains(it), (0..<h).contains(iy), (0..<w).contains(ix) else { continue }
                                best = max(best, xs[((plane * d + it) * h + iy) * w + ix])
                            }
                        }
                    }
                    y.append(best)
                }
            }
        }
    }
    return Tensor(shape: [n, c, dOut, hOut, wOut], scalars: y)
}

/// ``conv3d(_:weight:bias:stride:padding:columnBufferBytes:)`` and
/// ``maxPool3d(_:kernel:stride:padding:)`` against direct loops on odd shapes, single- and
/// multi-threaded, with column buffers small enough to force bands of rows.
@Suite struct Conv3dTests {
    struct Case: CustomStringConvertible {
        let input: [Int]
        let outChannels: Int
        let kernel: Extent3
        let stride: Extent3
        let padding: Extent3
        var description: String { "\(input) k\(kernel) s\(stride) p\(padding)" }
    }

    static let cases: [Case] = [
        Case(input: [1, 3, 5, 17, 19], outChannels: 4, kernel: Extent3(5, 7, 7), stride: Extent3(1, 2, 2), padding: Extent3(all: 0)),
        Case(input: [2, 3, 7, 11, 9], outChannels: 5, kernel: Extent3(5, 3, 4), stride: Extent3(1, 2, 3), padding: Extent3(0, 1, 1)),
        Case(input: [1, 4, 3, 9, 13], outChannels: 6, kernel: Extent3(1, 5, 5), stride: Extent3(1, 2, 2), padding: Extent3(0, 1, 1)),
        Case(input: [3, 2, 1, 13, 20], outChannels: 3, kernel: Extent3(1, 3, 3), stride: Extent3(all: 1), padding: Extent3(0, 1, 1)),
        Case(input: [1, 2, 6, 5, 4], outChannels: 3, kernel: Extent3(3, 5, 4), stride: Extent3(2, 1, 1), padding: Extent3(1, 0, 0)),
        Case(input: [1, 3, 4, 6, 6], outChannels: 2, kernel: Extent3(2, 3, 3), stride: Extent3(all: 2), padding: Extent3(all: 1)),
    ]

    @Test(arguments: cases)
    func convolutionMatchesTheDirectLoop(_ shape: Case) {
        let x = randomTensor(shape.input, seed: 11)
        let weight = randomTensor(
            [shape.outChannels, shape.input[1], shape.kernel.depth, shape.kernel.height, shape.kernel.width], seed: 12)
        let bias = randomTensor([shape.outChannels], seed: 13)
        let expected = referenceConv3d(x, weight, bias, stride: shape.stride, padding: shape.padding)
        for threads in [1, 2, 3] {
            for buffer in [64, 4 << 20] {
                let actual = ComputeSettings(threads: threads).run {
                    conv3d(x, weight: weight, bias: bias, stride: shape.stride, padding: shape.padding, columnBufferBytes: buffer)
                }
                expectClose(actual, expected, tolerance: 1e-5)
            }
        }
        let unbiased = conv3d(x, weight: weight, bias: nil, stride: shape.stride, padding: shape.padding)
        expectClose(unbiased, referenceConv3d(x, weight, nil, stride: shape.stride, padding: shape.padding), tolerance: 1e-5)
    }

    @Test func poolingMatchesTheDirectLoop() {
        let shapes: [([Int], Extent3, Extent3, Extent3)] = [
            ([1, 3, 1, 109, 109], Extent3(1, 3, 3), Extent3(1, 2, 2), Extent3(all: 0)),
            ([2, 2, 1, 26, 26], Extent3(1, 3, 3), Extent3(1, 2, 2), Extent3(0, 1, 1)),
            ([1, 3, 1, 13, 20], Extent3(1, 3, 3), Extent3(1, 1, 2), Extent3(all: 0)),
            ([1, 2, 5, 7, 6], Extent3(3, 2, 3), Extent3(2, 2, 1), Extent3(1, 1, 1)),
        ]
        for (index, (input, kernel, stride, padding)) in shapes.enumerated() {
            // Negative values, so a padded zero winning would show.
            let x = randomTensor(input, seed: UInt64(20 + index), in: -2 ... -0.5)
            for threads in [1, 2] {
                let actual = ComputeSettings(threads: threads).run {
                    maxPool3d(x, kernel: kernel, stride: stride, padding: padding)
                }
                let expected = referenceMaxPool3d(x, kernel: kernel, stride: stride, padding: padding)
                #expect(actual.shape == expected.shape && actual.scalars == expected.scalars, "\(input)")
            }
        }
    }
}
