@testable import DiffDubCore
import TestSupport
import Testing

/// bfloat16 rounding as the kernels do it (to nearest, ties to even), written independently of
/// them: the portable emulation the AVX512_BF16 kernel is checked against.
func bf16Rounded(_ x: Float) -> Float {
    let bits = x.bitPattern
    let rounded = bits &+ 0x7fff &+ ((bits >> 16) & 1)
    return Float(bitPattern: rounded & 0xffff_0000)
}

/// `op(a) op(b)` on bfloat16-rounded inputs, summed in Double: what the bf16 products compute up to
/// float32 summation order. `a` `[m, k]` (`[k, m]` transposed), `b` `[k, n]` (`[n, k]`).
func emulatedBF16Product(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> (Tensor, Tensor) {
    let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let n = transposeB ? b.shape[0] : b.shape[1]
    let (sa, sb) = (a.scalars.map(bf16Rounded), b.scalars.map(bf16Rounded))
    var (values, magnitudes) = ([Float](repeating: 0, count: m * n), [Float](repeating: 0, count: m * n))
    for i in 0..<m {
        for j in 0..<n {
            var (sum, magnitude) = (0.0, 0.0)
            for p in 0..<k {
                let x = Double(transposeA ? sa[p * m + i] : sa[i * k + p])
                let y = Double(transposeB ? sb[j * k + p] : sb[p * n + j])
                sum += x * y
                magnitude += abs(x * y)
            }
            values[i * n + j] = Float(sum)
            magnitudes[i * n + j] = Float(magnitude)
        }
    }
    return (Tensor(shape: [m, n], scalars: values), Tensor(shape: [m, n], scalars: magnitudes))
}

/// The bfloat16 products (`Precision.bf16`): the AVX512_BF16 kernel against the portable
/// emulation on odd shapes (depth odd, partial row panels and column panels of both widths,
/// transposed operands), and the kernels that use it (1x1 convolutions, attention, Winograd)
/// against float32. On a CPU without AVX512_BF16 the kernel is the portable emulation
/// (`BF16Products.emulatedMultiply`), which must meet the same bounds: bf16 results on every CPU.
@Suite struct BF16ProductsTests {
    /// The kernels' settings with bfloat16 products.
    static let bf16 = KernelSettings(precision: .bf16)

    /// Shapes of at least 2^20 multiply-adds (the bf16 threshold) with every edge case.
    @Test(arguments: [
        (67, 131, 129, false, false),  // 3 rows in the last panel, 3 columns in a 16-wide panel, odd depth
        (64, 150, 128, false, true),  // 22 columns in the last 32-wide panel, B transposed
        (75, 97, 161, true, false),  // A transposed (the attention scores)
        (33, 256, 136, true, true),
    ])
    func matchesTheEmulation(_ shape: (Int, Int, Int, Bool, Bool)) {
        let (m, n, k, transposeA, transposeB) = shape
        let a = randomTensor(transposeA ? [k, m] : [m, k], seed: UInt64(m * 7 + k))
        let b = randomTensor(transposeB ? [n, k] : [k, n], seed: UInt64(n * 13 + k), in: -2...3)
        let fp32 = matmul(a, b, transposeA: transposeA, transposeB: transposeB)
        let bf16 = matmul(a, b, transposeA: transposeA, transposeB: transposeB, kernels: Self.bf16)
        let (expected, magnitudes) = emulatedBF16Product(a, b, transposeA: transposeA, transposeB: transposeB)
        // Float32 sums of exact products: within a few float32 roundings of the sum of |terms|.
        var worst: Float = 0
        for (index, value) in bf16.scalars.enumerated() {
            worst = max(worst, abs(value - expected.scalars[index]) / max(magnitudes.scalars[index], 1e-30))
        }
        #expect(worst <= 1e-6, "max |bf16 kernel - emulation| / sum |terms| = \(worst)")
        // And it is not float32: inputs rounded to 8 bits move the results by about 2^-9 of them.
        let scale = magnitudes.scalars.max() ?? 1
        let difference = maxAbsDifference(bf16, fp32)
        #expect(difference > 1e-5 * scale && difference < 1e-2 * scale, "bf16 - fp32: \(difference), scale \(scale)")
    }

    @Test func accumulatesIntoTheBiasOfAPointwiseConvolution() {
        // conv2d 1x1: C = W x + bias (beta 1), 40 -> 72 channels on 37 x 29 pixels.
        let x = randomTensor([2, 40, 37, 29], seed: 300)
        let w = randomTensor([72, 40, 1, 1], seed: 301)
        let bias = randomTensor([72], seed: 302, in: 5...9)
        let fp32 = conv2d(x, weight: w, bias: bias, padding: 0)
        let bf16 = conv2d(x, weight: w, bias: bias, padding: 0, kernels: Self.bf16)
        // Per image: the emulated product plus the bias.
        let plane = 37 * 29
        let wm = w.reshaped([72, 40])
        for image in 0..<2 {
            let xi = Tensor(shape: [40, plane], scalars: Array(x.scalars[(image * 40 * plane)..<((image + 1) * 40 * plane)]))
            let (product, magnitudes) = emulatedBF16Product(wm, xi, transposeA: false, transposeB: false)
            var worst: Float = 0
            for o in 0..<72 {
                for p in 0..<plane {
                    let value = bf16.scalars[(image * 72 + o) * plane + p]
                    let expected = product.scalars[o * plane + p] + bias.scalars[o]
                    worst = max(worst, abs(value - expected) / (magnitudes.scalars[o * plane + p] + abs(bias.scalars[o])))
                }
            }
            #expect(worst <= 1e-6, "image \(image): \(worst)")
        }
        #expect(bf16.scalars != fp32.scalars)
    }

    @Test func attentionStaysCloseToFloat32() {
        let q = randomTensor([2, 64, 64], seed: 310)
        let k = randomTensor([2, 256, 64], seed: 311)
        let v = randomTensor([2, 256, 48], seed: 312)
        let fp32 = scaledDotProductAttention(query: q, key: k, value: v, scale: 0.125)
        let bf16 = scaledDotProductAttention(query: q, key: k, value: v, scale: 0.125, kernels: Self.bf16)
        let difference = maxAbsDifference(bf16, fp32)
        #expect(difference > 0 && difference < 2e-2, "attention bf16 - fp32: \(difference)")
    }

    /// Winograd products in bf16, every tile size, against im2col (float32): the inputs of the
    /// products are rounded to 8 significant bits after the input transform, so the error
    /// relative to the sums of absolute terms is about 2^-9 times the transforms' amplification
    /// (F(6x6) measured at 0.027 on its case here; the bounds follow the per-tile errors of
    /// ``bf16WinogradTolerance``), far above float32's 1e-7 to 2e-6 and below a misplaced tile
    /// or a wrong entry (of the order of the sums).
    @Test(arguments: [
        (Conv2dAlgorithm.winograd, WinogradCase(input: [1, 37, 19, 23], outChannels: 13, padding: 1, bias: true)),
        (Conv2dAlgorithm.winograd4x4, WinogradCase(input: [2, 48, 33, 30], outChannels: 20, padding: 1, bias: false)),
        (Conv2dAlgorithm.winograd6x6, WinogradCase(input: [1, 33, 40, 38], outChannels: 17, padding: 0, bias: true)),
        (Conv2dAlgorithm.automatic, WinogradCase(input: [1, 64, 70, 66], outChannels: 24, padding: 1, bias: true)),
    ])
    func winogradProductsStayWithinBF16Rounding(_ algorithm: Conv2dAlgorithm, _ c: WinogradCase) {
        let (x, w, b) = c.tensors()
        let im2col = conv2d(x, weight: w, bias: b, padding: c.padding, algorithm: .im2col)
        let fp32 = conv2d(x, weight: w, bias: b, padding: c.padding, algorithm: algorithm)
        let bf16 = conv2d(x, weight: w, bias: b, padding: c.padding, algorithm: algorithm, kernels: Self.bf16)
        let scale = absoluteScale(x: x, w: w, b: b, padding: c.padding)
        let difference = maxAbsDifference(bf16, im2col)
        #expect(
            difference > 1e-5 * scale && difference <= bf16WinogradTolerance(algorithm) * scale,
            "bf16 \(algorithm): max |difference| \(difference) for absolute scale \(scale) (ratio \(difference / scale))")
        // The kept bf16 transform gives the same values again.
        let again = conv2d(x, weight: w, bias: b, padding: c.padding, algorithm: algorithm, kernels: Self.bf16)
        #expect(again.scalars == bf16.scalars)
    }

    /// The automatic rule keeps float32 products on outputs wider than
    /// ``Conv2dAlgorithm/bf16MaximumSide`` where float32 F(6x6) runs fused (there it is as fast
    /// as bfloat16 F(2x2)), and takes bfloat16 products below, down to 8 x 8 outputs.
    @Test func automaticConvolutionKeepsFloat32OnTheLargestLayers() {
        let side = Conv2dAlgorithm.bf16MaximumSide
        let w = randomTensor([8, 32, 3, 3], seed: 310)
        // 8 x 8 outputs: Winograd only with bf16 products (float32 takes im2col below 16 x 16).
        for (inputSide, expectsBF16) in [(side + 2, false), (side / 2, true), (8, true)] {
            let x = randomTensor([1, 32, inputSide, inputSide], seed: UInt64(311 + inputSide))
            let fp32 = conv2d(x, weight: w, bias: nil, padding: 1)
            let bf16 = conv2d(x, weight: w, bias: nil, padding: 1, kernels: Self.bf16)
            let usedBF16 = bf16.scalars != fp32.scalars
            #expect(usedBF16 == expectsBF16, "side \(inputSide)")
        }
        // Above the side, float32 only where F(6x6) runs fused: blocks of 24 tiles of 256
        // channels take 64 x ((256 + 32) x 24 + 32) x 4 bytes, 1.78 MB.
        let (above, threads) = (side + 2, 2)
        let fits = { (channels: Int, cacheBytes: Int) in
            Conv2dAlgorithm.keepsFloat32(
                channels: channels, outChannels: 128, height: above, width: above, padding: 1, threads: threads,
                cacheBytes: cacheBytes)
        }
        #expect(!Conv2dAlgorithm.keepsFloat32(channels: 256, outChannels: 128, height: side, width: side, padding: 1))
        if PackedProducts.isAvailable {
            #expect(fits(128, 1 << 20) && !fits(256, 1 << 20) && fits(256, 2 << 20))
        } else {
            // No fused float32 schedule: float32 F(6x6) in bands is kept (no bfloat16 fused
            // measurement without the packed kernel).
            #expect(fits(256, 1 << 20))
        }
    }

    /// Packing: contiguous rows go through the vector conversion (on a CPU with the kernel), and
    /// must give the bits of the value-by-value rounding, ties, NaN, odd depths, narrow panels
    /// and the zero padding included.
    @Test(arguments: [(7, 32, 32), (9, 29, 32), (4, 16, 16), (5, 3, 16), (1, 40, 48)])
    func packsRowsAsTheRoundingDoes(_ shape: (Int, Int, Int)) {
        let (depth, count, width) = shape
        let stride = count + 5
        var source = randomTensor([depth, stride], seed: UInt64(depth * 31 + count), in: -4...4).scalars
        // Ties to even both ways, a NaN, an infinity, the largest finite float.
        source[0] = Float(bitPattern: 0x3f80_8000)
        source[1] = Float(bitPattern: 0x3f81_8000)
        source[2] = .nan
        source[min(3, count - 1)] = -.infinity
        source[source.count - 1] = .greatestFiniteMagnitude
        let pairs = BF16Products.pairs(depth)
        var packed = [UInt16](repeating: 0xffff, count: pairs * width * 2)
        source.withUnsafeBufferPointer { s in
            packed.withUnsafeMutableBufferPointer { p in
                BF16Products.pack(
                    s.baseAddress!, depthStride: stride, countStride: 1, depth: depth, count: count, width: width,
                    into: p.baseAddress!)
            }
        }
        var expected = [UInt16](repeating: 0, count: pairs * width * 2)
        for k in 0..<depth {
            for n in 0..<count { expected[(k / 2) * width * 2 + n * 2 + k % 2] = BF16Products.round(source[k * stride + n]) }
        }
        #expect(packed == expected)
        #expect(BF16Products.round(source[0]) == 0x3f80 && BF16Products.round(source[1]) == 0x3f82)
    }
}

/// Bound of bf16 Winograd against im2col, relative to the sums of absolute terms (`.automatic`
/// takes F(2x2) with bf16 products). The output transform amplifies the inputs' rounding by
/// about 1 : 15 : 25 for F(2x2) : F(4x4) : F(6x6) (`diffdub-bench unet-accuracy --layers`), and
/// F(6x6) measured 0.027 here: bounds of about 3x the expected errors.
func bf16WinogradTolerance(_ algorithm: Conv2dAlgorithm) -> Float {
    switch algorithm {
    case .winograd6x6: return 8e-2
    case .winograd4x4: return 5e-2
    default: return 5e-3
    }
}
