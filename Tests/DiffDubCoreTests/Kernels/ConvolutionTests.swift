import DiffDubCore
import TestSupport
import Testing

/// Direct 2-D cross-correlation with stride and zero padding.
private func referenceConv2d(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, stride s: Int = 1, padding p: Int) -> Tensor {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let (ho, wo) = ((h + 2 * p - kh) / s + 1, (wd + 2 * p - kw) / s + 1)
    let xs = x.scalars
    let ws = w.scalars
    let bs = bias?.scalars
    var y = [Float](repeating: 0, count: n * o * ho * wo)
    for b in 0..<n {
        for oc in 0..<o {
            for i in 0..<ho {
                for j in 0..<wo {
                    var total = bs?[oc] ?? 0
                    for ic in 0..<c {
                        for u in 0..<kh {
                            let iy = i * s + u - p
                            if iy < 0 || iy >= h { continue }
                            for v in 0..<kw {
                                let ix = j * s + v - p
                                if ix < 0 || ix >= wd { continue }
                                total += ws[((oc * c + ic) * kh + u) * kw + v] * xs[((b * c + ic) * h + iy) * wd + ix]
                            }
                        }
                    }
                    y[((b * o + oc) * ho + i) * wo + j] = total
                }
            }
        }
    }
    return Tensor(shape: [n, o, ho, wo], scalars: y)
}

/// Direct 1-D grouped cross-correlation with stride and zero padding.
private func referenceConv1d(
    _ x: Tensor, _ w: Tensor, _ bias: Tensor?, stride s: Int, padding p: Int, groups g: Int
) -> Tensor {
    let (n, c, l) = (x.shape[0], x.shape[1], x.shape[2])
    let (o, cg, k) = (w.shape[0], w.shape[1], w.shape[2])
    let lo = (l + 2 * p - k) / s + 1
    let og = o / g
    let xs = x.scalars
    let ws = w.scalars
    let bs = bias?.scalars
    var y = [Float](repeating: 0, count: n * o * lo)
    for b in 0..<n {
        for oc in 0..<o {
            let group = oc / og
            for t in 0..<lo {
                var total = bs?[oc] ?? 0
                for ic in 0..<cg {
                    for j in 0..<k {
                        let position = t * s + j - p
                        if position < 0 || position >= l { continue }
                        total += ws[(oc * cg + ic) * k + j] * xs[(b * c + group * cg + ic) * l + position]
                    }
                }
                y[(b * o + oc) * lo + t] = total
            }
        }
    }
    return Tensor(shape: [n, o, lo], scalars: y)
}

@Suite struct Conv2dTests {
    struct Case: Sendable, CustomStringConvertible {
        var input: [Int]
        var outChannels: Int
        var kernel: Int
        var padding: Int
        var bias: Bool
        var description: String { "\(input) -> \(outChannels), k\(kernel) p\(padding) bias \(bias)" }
    }

    @Test(arguments: [
        Case(input: [2, 3, 7, 5], outChannels: 4, kernel: 3, padding: 1, bias: true),
        Case(input: [2, 3, 7, 5], outChannels: 4, kernel: 3, padding: 1, bias: false),
        Case(input: [3, 33, 5, 6], outChannels: 5, kernel: 1, padding: 0, bias: true),
        Case(input: [1, 33, 5, 6], outChannels: 7, kernel: 1, padding: 0, bias: false),
        Case(input: [2, 4, 6, 7], outChannels: 3, kernel: 3, padding: 0, bias: true),
        Case(input: [1, 2, 6, 5], outChannels: 3, kernel: 5, padding: 2, bias: true),
        Case(input: [1, 2, 4, 4], outChannels: 2, kernel: 1, padding: 1, bias: true),
        Case(input: [2, 17, 7, 5], outChannels: 16, kernel: 3, padding: 1, bias: true),
        Case(input: [1, 16, 6, 9], outChannels: 20, kernel: 3, padding: 0, bias: false),
        Case(input: [1, 3, 5, 4], outChannels: 2, kernel: 3, padding: 2, bias: true),
        Case(input: [1, 2, 1, 1], outChannels: 3, kernel: 3, padding: 1, bias: true),
    ])
    func matchesDirectLoop(_ c: Case) {
        let seed = UInt64(c.input.reduce(c.kernel * 31 + c.padding, *))
        let x = randomTensor(c.input, seed: seed)
        let w = randomTensor([c.outChannels, c.input[1], c.kernel, c.kernel], seed: seed + 1)
        let b = c.bias ? randomTensor([c.outChannels], seed: seed + 2) : nil
        let expected = referenceConv2d(x, w, b, padding: c.padding)
        expectClose(conv2d(x, weight: w, bias: b, padding: c.padding), expected)
        expectClose(conv2d(x, weight: w, bias: b, padding: c.padding, algorithm: .im2col), expected)
        if c.kernel == 3 {
            expectClose(conv2d(x, weight: w, bias: b, padding: c.padding, algorithm: .winograd), expected)
        }
    }

    @Test(arguments: [
        Case(input: [2, 3, 9, 8], outChannels: 4, kernel: 3, padding: 1, bias: true),
        Case(input: [1, 3, 17, 15], outChannels: 5, kernel: 7, padding: 3, bias: false),
        Case(input: [2, 6, 7, 6], outChannels: 3, kernel: 1, padding: 0, bias: true),
        Case(input: [1, 2, 8, 8], outChannels: 2, kernel: 4, padding: 0, bias: true),
    ])
    func stridedMatchesDirectLoop(_ c: Case) {
        let seed = UInt64(c.input.reduce(c.kernel * 13 + c.padding, *))
        let x = randomTensor(c.input, seed: seed)
        let w = randomTensor([c.outChannels, c.input[1], c.kernel, c.kernel], seed: seed + 1)
        let b = c.bias ? randomTensor([c.outChannels], seed: seed + 2) : nil
        for stride in [2, 3, 4] where c.input[2] + 2 * c.padding >= c.kernel {
            expectClose(
                conv2d(x, weight: w, bias: b, stride: stride, padding: c.padding),
                referenceConv2d(x, w, b, stride: stride, padding: c.padding))
        }
        expectClose(
            conv2d(x, weight: w, bias: b, stride: 1, padding: c.padding), referenceConv2d(x, w, b, padding: c.padding))
    }

    @Test func automaticChoosesWinogradOnlyForLargeThreeByThreeLayers() {
        #expect(
            Conv2dAlgorithm.prefersWinograd(
                channels: 128, outChannels: 128, kernelHeight: 3, kernelWidth: 3, outputPixels: 256 * 256))
        #expect(
            Conv2dAlgorithm.prefersWinograd(
                channels: 512, outChannels: 512, kernelHeight: 3, kernelWidth: 3, outputPixels: 16 * 16))
        #expect(
            !Conv2dAlgorithm.prefersWinograd(
                channels: 512, outChannels: 512, kernelHeight: 3, kernelWidth: 3, outputPixels: 8 * 8))
        // bfloat16 products: from 8 x 8, not below.
        #expect(
            Conv2dAlgorithm.prefersWinograd(
                channels: 512, outChannels: 512, kernelHeight: 3, kernelWidth: 3, outputPixels: 8 * 8,
                kernels: KernelSettings(precision: .bf16)))
        #expect(
            !Conv2dAlgorithm.prefersWinograd(
                channels: 512, outChannels: 512, kernelHeight: 3, kernelWidth: 3, outputPixels: 7 * 7,
                kernels: KernelSettings(precision: .bf16)))
        #expect(
            Conv2dAlgorithm.prefersWinograd(
                channels: 128, outChannels: 3, kernelHeight: 3, kernelWidth: 3, outputPixels: 256 * 256))
        #expect(
            !Conv2dAlgorithm.prefersWinograd(
                channels: 6, outChannels: 128, kernelHeight: 3, kernelWidth: 3, outputPixels: 256 * 256))
        #expect(
            !Conv2dAlgorithm.prefersWinograd(
                channels: 128, outChannels: 128, kernelHeight: 1, kernelWidth: 1, outputPixels: 256 * 256))
        // A layer the automatic rule sends to Winograd, against the direct loop.
        let x = randomTensor([1, 32, 32, 33], seed: 40)
        let w = randomTensor([32, 32, 3, 3], seed: 41)
        let b = randomTensor([32], seed: 42)
        expectClose(conv2d(x, weight: w, bias: b, padding: 1), referenceConv2d(x, w, b, padding: 1))
    }

    @Test func smallColumnBufferGivesTheSameResultAcrossTiles() {
        let x = randomTensor([2, 3, 13, 11], seed: 20)
        let w = randomTensor([4, 3, 3, 3], seed: 21)
        let b = randomTensor([4], seed: 22)
        let budget = 4 * 27 * 11 * MemoryLayout<Float>.stride  // four output rows per band
        let rows = Conv2dTiling.rowsPerTile(
            inputChannels: 3, kernelHeight: 3, kernelWidth: 3, outputWidth: 11, outputHeight: 13,
            columnBufferBytes: budget)
        #expect(rows == 4)  // bands of 4, 4, 4, 1 rows
        expectClose(
            conv2d(x, weight: w, bias: b, padding: 1, algorithm: .im2col, columnBufferBytes: budget),
            referenceConv2d(x, w, b, padding: 1))
    }

    @Test func winogradBandsOfTwoTileRowsCoverOddImages() {
        let x = randomTensor([2, 3, 13, 11], seed: 23)
        let w = randomTensor([4, 3, 3, 3], seed: 24)
        let b = randomTensor([4], seed: 25)
        let budget = 2 * 16 * 4 * 6 * MemoryLayout<Float>.stride  // two tile rows of 6 tiles, 4 channels
        let rows = Conv2dTiling.winogradRowsPerBand(
            inputChannels: 3, outputChannels: 4, outputWidth: 11, outputHeight: 13, bufferBytes: budget)
        #expect(rows == 4)  // bands of 4, 4, 4, 1 output rows
        expectClose(
            conv2d(x, weight: w, bias: b, padding: 1, algorithm: .winograd, columnBufferBytes: budget),
            referenceConv2d(x, w, b, padding: 1))
    }

    /// A layer big enough for the default 16 MiB buffer to need several bands; the reference
    /// is evaluated only on the rows around each band boundary (and the first and last rows).
    @Test(arguments: [Conv2dAlgorithm.im2col, .winograd])
    func defaultTilingCrossesBandBoundaries(algorithm: Conv2dAlgorithm) {
        let (channels, height, width, outChannels) = (64, 130, 128, 3)
        let rows =
            algorithm == .im2col
            ? Conv2dTiling.rowsPerTile(
                inputChannels: channels, kernelHeight: 3, kernelWidth: 3, outputWidth: width, outputHeight: height)
            : Conv2dTiling.winogradRowsPerBand(
                inputChannels: channels, outputChannels: outChannels, outputWidth: width, outputHeight: height)
        #expect(rows < height)  // at least two bands
        let x = randomTensor([1, channels, height, width], seed: 30)
        let w = randomTensor([outChannels, channels, 3, 3], seed: 31)
        let b = randomTensor([outChannels], seed: 32)
        let y = conv2d(x, weight: w, bias: b, padding: 1, algorithm: algorithm)
        #expect(y.shape == [1, outChannels, height, width])
        let xs = x.scalars
        let ws = w.scalars
        let bs = b.scalars
        let ys = y.scalars
        var checkedRows = Set([0, height - 1])
        for boundary in stride(from: rows, to: height, by: rows) {
            checkedRows.formUnion([boundary - 1, boundary])
        }
        var worst: Float = 0
        for i in checkedRows {
            for o in 0..<outChannels {
                for j in 0..<width {
                    var total = bs[o]
                    for c in 0..<channels {
                        for u in 0..<3 where (0..<height).contains(i + u - 1) {
                            for v in 0..<3 where (0..<width).contains(j + v - 1) {
                                total +=
                                    ws[((o * channels + c) * 3 + u) * 3 + v]
                                    * xs[(c * height + i + u - 1) * width + j + v - 1]
                            }
                        }
                    }
                    worst = max(worst, abs(total - ys[(o * height + i) * width + j]))
                }
            }
        }
        #expect(worst < 1e-3, "max |difference| \(worst) on band-boundary rows")
    }
}

@Suite struct Conv1dTests {
    struct Case: Sendable, CustomStringConvertible {
        var input: [Int]
        var outChannels: Int
        var kernel: Int
        var stride: Int
        var padding: Int
        var groups: Int
        var bias: Bool
        var description: String {
            "\(input) -> \(outChannels), k\(kernel) s\(stride) p\(padding) g\(groups) bias \(bias)"
        }
    }

    @Test(arguments: [
        Case(input: [2, 6, 17], outChannels: 4, kernel: 3, stride: 1, padding: 1, groups: 1, bias: true),
        Case(input: [2, 6, 17], outChannels: 4, kernel: 3, stride: 2, padding: 1, groups: 1, bias: true),
        Case(input: [3, 6, 16], outChannels: 8, kernel: 3, stride: 2, padding: 1, groups: 2, bias: false),
        Case(input: [2, 33, 19], outChannels: 33, kernel: 31, stride: 1, padding: 15, groups: 33, bias: true),
        Case(input: [2, 5, 12], outChannels: 5, kernel: 3, stride: 2, padding: 1, groups: 5, bias: false),
        Case(input: [2, 4, 9], outChannels: 8, kernel: 3, stride: 1, padding: 0, groups: 4, bias: true),
        Case(input: [2, 6, 11], outChannels: 10, kernel: 1, stride: 1, padding: 0, groups: 2, bias: true),
        Case(input: [1, 1, 50], outChannels: 7, kernel: 10, stride: 5, padding: 0, groups: 1, bias: false),
        Case(input: [1, 8, 9], outChannels: 8, kernel: 8, stride: 1, padding: 4, groups: 2, bias: true),
    ])
    func matchesDirectLoop(_ c: Case) {
        let seed = UInt64(c.input.reduce(c.kernel * 7 + c.groups * 3 + c.stride, *))
        let x = randomTensor(c.input, seed: seed)
        let w = randomTensor([c.outChannels, c.input[1] / c.groups, c.kernel], seed: seed + 1)
        let b = c.bias ? randomTensor([c.outChannels], seed: seed + 2) : nil
        expectClose(
            conv1d(x, weight: w, bias: b, stride: c.stride, padding: c.padding, groups: c.groups),
            referenceConv1d(x, w, b, stride: c.stride, padding: c.padding, groups: c.groups))
    }

    @Test(arguments: [(1, 0), (2, 1), (3, 2)])
    func smallColumnBufferGivesTheSameResultAcrossTiles(stride: Int, padding: Int) {
        let x = randomTensor([2, 6, 41], seed: 50)
        let w = randomTensor([4, 3, 5], seed: 51)
        let b = randomTensor([4], seed: 52)
        let budget = 7 * 15 * MemoryLayout<Float>.stride  // seven output positions per band
        expectClose(
            conv1d(x, weight: w, bias: b, stride: stride, padding: padding, groups: 2, columnBufferBytes: budget),
            referenceConv1d(x, w, b, stride: stride, padding: padding, groups: 2))
    }
}
