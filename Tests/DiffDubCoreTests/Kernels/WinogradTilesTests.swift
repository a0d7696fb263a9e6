@testable import DiffDubCore
import TestSupport
import Testing

/// The fused schedule of the float32 Winograd paths (``WinogradTileConvolution``: transforms
/// and products per block of 24 tiles) against im2col, and against the band schedule, on shapes
/// whose blocks span several tile rows, end in partial panels, touch every edge of the padding,
/// and have channel counts that are not multiples of the kernels' blocks.
@Suite struct WinogradTilesTests {
    static let algorithms: [Conv2dAlgorithm] = [.winograd, .winograd4x4, .winograd6x6]

    @Test(
        arguments: algorithms,
        WinogradCase.oddShapes + [
            // Channels past a chunk of 8 and output channels past a group of 32.
            WinogradCase(input: [2, 17, 11, 10], outChannels: 37, padding: 1, bias: true),
            // Output sides 1 past a multiple of the tile (the last tile column writes one value).
            WinogradCase(input: [1, 9, 25, 49], outChannels: 5, padding: 1, bias: true),
            WinogradCase(input: [1, 9, 15, 39], outChannels: 6, padding: 0, bias: true),
        ])
    func fusedScheduleMatchesIm2col(_ algorithm: Conv2dAlgorithm, _ c: WinogradCase) {
        Conv2dTiling.$winogradSchedule.withValue(.tiles) { expectWinogradMatchesIm2col(algorithm, c) }
    }

    @Test(arguments: algorithms)
    func fusedAndBandSchedulesAgreeToRounding(_ algorithm: Conv2dAlgorithm) {
        let (x, w, b) = WinogradCase(input: [1, 24, 40, 44], outChannels: 40, padding: 1, bias: true).tensors()
        let bands = Conv2dTiling.$winogradSchedule.withValue(.bands) {
            conv2d(x, weight: w, bias: b, padding: 1, algorithm: algorithm)
        }
        let tiles = Conv2dTiling.$winogradSchedule.withValue(.tiles) {
            conv2d(x, weight: w, bias: b, padding: 1, algorithm: algorithm)
        }
        expectWithinRounding(tiles, bands, x: x, w: w, b: b, padding: 1)
        #expect(tiles.scalars != bands.scalars || !PackedProducts.isAvailable)
    }

    @Test(arguments: algorithms)
    func resultDoesNotDependOnTheThreadCountOrTheBatch(_ algorithm: Conv2dAlgorithm) {
        let x = randomTensor([3, 20, 30, 26], seed: 80)
        let w = randomTensor([12, 20, 3, 3], seed: 81)
        let b = randomTensor([12], seed: 82)
        func convolve(_ input: Tensor, threads: Int) -> Tensor {
            ComputeSettings(threads: threads).run {
                Conv2dTiling.$winogradSchedule.withValue(.tiles) {
                    conv2d(input, weight: w, bias: b, padding: 1, algorithm: algorithm)
                }
            }
        }
        let (one, two) = (convolve(x, threads: 1), convolve(x, threads: 2))
        #expect(one.scalars == two.scalars)
        let middle = convolve(slice(x, axis: 0, 1..<2), threads: 2)
        #expect(slice(two, axis: 0, 1..<2).scalars == middle.scalars)
    }

    @Test func automaticScheduleTakesTilesOnlyWithEnoughBlocksThatFitTheCache() {
        let weights = WinogradWeights<WinogradF4>.of(randomTensor([8, 8, 3, 3], seed: 90))
        // 64 x 64 outputs: 256 tiles of F(4x4), 11 blocks; 16 x 16: 16 tiles, 1 block.
        let large = WinogradTileConvolution(weights: weights, height: 64, width: 64, padding: 1)
        let small = WinogradTileConvolution(weights: weights, height: 16, width: 16, padding: 1)
        #expect(large.blockCount == 11 && small.blockCount == 1)
        // 36 products x (8 channels + a group of 8 outputs) x 24 tiles x 4 bytes.
        #expect(large.blockBytes == 36 * 16 * 24 * 4)
        #expect(large.prefersTiles(threads: 2, cacheBytes: 512 << 10))
        #expect(!small.prefersTiles(threads: 2, cacheBytes: 512 << 10))
        #expect(!large.prefersTiles(threads: 4, cacheBytes: 512 << 10))
        #expect(!large.prefersTiles(threads: 2, cacheBytes: large.blockBytes - 1))
    }
}
