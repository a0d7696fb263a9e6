import DiffDubCore
import TestSupport
import Testing

/// Winograd `F(6x6, 3x3)` against the im2col path beyond the shared cases of `WinogradTests`:
/// outputs that tiles of 6 cover exactly or overhang, channel counts that are not multiples of 8,
/// batches, offsets far from zero, and the automatic choice between F(4x4) and F(6x6). Tolerance:
/// ``winogradTolerance`` (relative to the sums of absolute terms; measured F(6x6) errors are up
/// to 2.3e-6 of them).
@Suite struct WinogradF6Tests {
    @Test(arguments: [
        WinogradCase(input: [1, 12, 8, 8], outChannels: 9, padding: 0, bias: false),  // 6 x 6: one tile
        WinogradCase(input: [3, 9, 8, 8], outChannels: 12, padding: 1, bias: true),  // 8 x 8: overhang 4
        WinogradCase(input: [2, 7, 14, 13], outChannels: 5, padding: 0, bias: true),  // 12 x 11
        WinogradCase(input: [1, 40, 24, 24], outChannels: 24, padding: 1, bias: false),  // 24 x 24: 4 tiles
        WinogradCase(input: [1, 128, 14, 14], outChannels: 128, padding: 1, bias: true),
        WinogradCase(input: [2, 19, 37, 31], outChannels: 13, padding: 1, bias: false),
    ])
    func matchesIm2col(_ c: WinogradCase) {
        expectWinogradMatchesIm2col(.winograd6x6, c)
    }

    @Test func largeOffsetsAndScalesStayWithinTheRelativeBound() {
        // Inputs far from zero (activations after a shift) with small weights: the bound scales.
        let x = randomTensor([1, 32, 20, 21], seed: 80, in: 50...150)
        let w = randomTensor([16, 32, 3, 3], seed: 81, in: -1e-3...1e-3)
        let b = randomTensor([16], seed: 82, in: -10...10)
        expectWithinRounding(
            conv2d(x, weight: w, bias: b, padding: 1, algorithm: .winograd6x6),
            conv2d(x, weight: w, bias: b, padding: 1, algorithm: .im2col), x: x, w: w, b: b, padding: 1)
    }

    @Test func keptTransformsOfBothTileSizesLiveSideBySide() {
        let x = randomTensor([1, 8, 12, 12], seed: 70)
        let w = randomTensor([4, 8, 3, 3], seed: 71)
        let f4 = conv2d(x, weight: w, bias: nil, padding: 1, algorithm: .winograd4x4)
        let f6 = conv2d(x, weight: w, bias: nil, padding: 1, algorithm: .winograd6x6)
        #expect(f4.scalars != f6.scalars)  // different roundings, so two transforms were used
        #expect(conv2d(x, weight: w, bias: nil, padding: 1, algorithm: .winograd4x4).scalars == f4.scalars)
        #expect(conv2d(x, weight: w, bias: nil, padding: 1, algorithm: .winograd6x6).scalars == f6.scalars)
    }

    @Test func automaticTakesF6OnLargeOutputsF4AndF2OnSmallerOnes() {
        let choice = { (c: Int, o: Int, k: Int, h: Int, w: Int, kernels: KernelSettings) in
            Conv2dAlgorithm.automaticWinograd(
                channels: c, outChannels: o, kernelHeight: k, kernelWidth: k, outputHeight: h, outputWidth: w,
                kernels: kernels)
        }
        #expect(choice(128, 128, 3, 256, 256, .standard) == .winograd6x6)
        #expect(choice(256, 128, 3, 128, 128, .standard) == .winograd6x6)
        #expect(choice(256, 256, 3, 64, 64, .standard) == .winograd6x6)
        #expect(choice(128, 3, 3, 256, 256, .standard) == .winograd6x6)
        #expect(choice(128, 128, 3, 256, 48, .standard) == .winograd4x4)
        #expect(choice(256, 256, 3, 32, 32, .standard) == .winograd4x4)
        #expect(choice(512, 512, 3, 16, 16, .standard) == .winograd)
        #expect(choice(1024, 512, 3, 16, 16, .standard) == .winograd)
        #expect(choice(512, 512, 3, 8, 8, .standard) == nil)
        #expect(choice(6, 128, 3, 256, 256, .standard) == nil)
        #expect(choice(128, 128, 1, 256, 256, .standard) == nil)
        let reference = choice(128, 128, 3, 256, 256, KernelSettings(automaticUsesWinograd: false))
        #expect(reference == nil)
        // A layer the automatic rule sends to F(6x6) (output 64 x 65: 11 tiles of 6 per side,
        // the last overhanging by 2 and 1), against im2col.
        let x = randomTensor([1, 32, 66, 67], seed: 90)
        let w = randomTensor([8, 32, 3, 3], seed: 91)
        let b = randomTensor([8], seed: 92)
        let automatic = conv2d(x, weight: w, bias: b, padding: 0)
        #expect(automatic.scalars == conv2d(x, weight: w, bias: b, padding: 0, algorithm: .winograd6x6).scalars)
        expectWithinRounding(
            automatic, conv2d(x, weight: w, bias: b, padding: 0, algorithm: .im2col), x: x, w: w, b: b, padding: 0)
    }
}
