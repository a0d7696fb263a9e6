@testable import DiffDubCore
import TestSupport
import Testing

/// The fused schedule of the Winograd paths (``WinogradTileConvolution``: transforms and
/// products per block of 24 tiles, 32 with bfloat16 products) against im2col, and against the band schedule, on shapes
/// whose blocks span several tile rows, end in partial panels, touch every edge of the padding,
/// and have channel counts that are not multiples of the kernels' blocks.
@Suite struct WinogradTilesTests {
    static let algorithms: [Conv2dAlgorithm] = [.winograd, .winograd4x4, .winograd6x6]

    /// The odd shapes, plus what a block of tiles adds: channels past a chunk of 8 and output
    /// channels past a group of 32; output sides 1 past a multiple of the tile (the last tile
    /// column writes one value); 33 x 33 tiles of F(2x2) (bf16 blocks of 32 across tile rows, a
    /// last block of 1 tile); rows wide enough that F(2x2) blocks inside the image read it in
    /// place, ending in part of a group of 8 tiles, with an odd output height (the last tile row
    /// writes one row).
    static let blockShapes =
        WinogradCase.oddShapes + [
            WinogradCase(input: [2, 17, 11, 10], outChannels: 37, padding: 1, bias: true),
            WinogradCase(input: [1, 10, 12, 100], outChannels: 9, padding: 1, bias: true),
            WinogradCase(input: [1, 10, 13, 100], outChannels: 9, padding: 0, bias: false),
            WinogradCase(input: [1, 9, 25, 49], outChannels: 5, padding: 1, bias: true),
            WinogradCase(input: [1, 9, 15, 39], outChannels: 6, padding: 0, bias: true),
            WinogradCase(input: [1, 20, 66, 66], outChannels: 24, padding: 1, bias: true),
        ]

    @Test(arguments: algorithms, blockShapes)
    func fusedScheduleMatchesIm2col(_ algorithm: Conv2dAlgorithm, _ c: WinogradCase) {
        expectWinogradMatchesIm2col(algorithm, c, kernels: KernelSettings(winogradSchedule: .tiles))
    }

    /// With bfloat16 products (blocks of 32 tiles, `V` rounded once per block): within the bf16
    /// bound of im2col, and close to the band schedule, which rounds the same transformed values
    /// (they differ where a float32 transform's last bit tips a bfloat16 rounding, about 2^-9 of
    /// one term). On a CPU without AVX512_BF16 the call is the float32 one.
    @Test(arguments: algorithms, blockShapes)
    func fusedBF16ScheduleMatchesIm2colAndTheBands(_ algorithm: Conv2dAlgorithm, _ c: WinogradCase) {
        let (x, w, b) = c.tensors()
        func convolve(_ schedule: Conv2dTiling.WinogradSchedule) -> Tensor {
            conv2d(
                x, weight: w, bias: b, padding: c.padding, algorithm: algorithm,
                kernels: KernelSettings(precision: .bf16, winogradSchedule: schedule))
        }
        let (tiles, bands) = (convolve(.tiles), convolve(.bands))
        let im2col = conv2d(x, weight: w, bias: b, padding: c.padding, algorithm: .im2col)
        let scale = absoluteScale(x: x, w: w, b: b, padding: c.padding)
        let difference = maxAbsDifference(tiles, im2col)
        #expect(
            difference <= bf16WinogradTolerance(algorithm) * scale,
            "bf16 tiles \(algorithm) \(c.input): |difference| \(difference) for scale \(scale)")
        if c.input[1] >= 16 {
            // Enough terms that the bf16 rounding shows: the products really were bf16.
            #expect(difference > 1e-5 * scale, "bf16 tiles \(algorithm) \(c.input) look like float32")
        }
        let fromBands = maxAbsDifference(tiles, bands)
        #expect(
            fromBands <= bf16WinogradTolerance(algorithm) * 0.2 * scale,
            "bf16 tiles against bands \(algorithm) \(c.input): \(fromBands) for scale \(scale)")
    }

    @Test(arguments: algorithms)
    func fusedAndBandSchedulesAgreeToRounding(_ algorithm: Conv2dAlgorithm) {
        let (x, w, b) = WinogradCase(input: [1, 24, 40, 44], outChannels: 40, padding: 1, bias: true).tensors()
        let bands = conv2d(
            x, weight: w, bias: b, padding: 1, algorithm: algorithm, kernels: KernelSettings(winogradSchedule: .bands))
        let tiles = conv2d(
            x, weight: w, bias: b, padding: 1, algorithm: algorithm, kernels: KernelSettings(winogradSchedule: .tiles))
        expectWithinRounding(tiles, bands, x: x, w: w, b: b, padding: 1)
        #expect(tiles.scalars != bands.scalars || !PackedProducts.isAvailable)
    }

    @Test(arguments: algorithms)
    func resultDoesNotDependOnTheThreadCountOrTheBatch(_ algorithm: Conv2dAlgorithm) {
        let x = randomTensor([3, 20, 30, 26], seed: 80)
        let w = randomTensor([12, 20, 3, 3], seed: 81)
        let b = randomTensor([12], seed: 82)
        func convolve(_ input: Tensor, threads: Int, _ precision: Precision) -> Tensor {
            ComputeSettings(threads: threads).run {
                conv2d(
                    input, weight: w, bias: b, padding: 1, algorithm: algorithm,
                    kernels: KernelSettings(precision: precision, winogradSchedule: .tiles))
            }
        }
        for precision in [Precision.fp32, .bf16] {
            let (one, two) = (convolve(x, threads: 1, precision), convolve(x, threads: 2, precision))
            #expect(one.scalars == two.scalars, "\(precision)")
            let middle = convolve(slice(x, axis: 0, 1..<2), threads: 2, precision)
            #expect(slice(two, axis: 0, 1..<2).scalars == middle.scalars, "\(precision)")
        }
    }

    @Test func automaticScheduleTakesTilesOnlyWithEnoughBlocksThatFitTheCache() {
        if PackedProducts.isAvailable {
            let weights = WinogradProductWeights<WinogradF4>.float32(
                WinogradWeights.of(randomTensor([8, 8, 3, 3], seed: 90)))
            // 64 x 64 outputs: 256 tiles of F(4x4), 11 blocks; 16 x 16: 16 tiles, 1 block.
            let large = WinogradTileConvolution(weights: weights, height: 64, width: 64, padding: 1)
            let small = WinogradTileConvolution(weights: weights, height: 16, width: 16, padding: 1)
            #expect(large.blockCount == 11 && small.blockCount == 1)
            // 36 products x ((8 channels + a group of 8 outputs) x 24 tiles + a line of 16 after
            // V[k] and after M[k]) x 4 bytes.
            #expect(large.blockBytes == 36 * (16 * 24 + 2 * 16) * 4)
            #expect(large.prefersTiles(threads: 2, cacheBytes: 512 << 10))
            #expect(!small.prefersTiles(threads: 2, cacheBytes: 512 << 10))
            #expect(!large.prefersTiles(threads: 4, cacheBytes: 512 << 10))
            #expect(!large.prefersTiles(threads: 2, cacheBytes: large.blockBytes - 1))
        } else {
            // A portable build has no packed kernel: float32 asks for tiles get the bands.
            let x = randomTensor([1, 8, 20, 20], seed: 91)
            let w = randomTensor([8, 8, 3, 3], seed: 90)
            let convolve = { (schedule: Conv2dTiling.WinogradSchedule) in
                conv2d(
                    x, weight: w, bias: nil, padding: 1, algorithm: .winograd4x4,
                    kernels: KernelSettings(winogradSchedule: schedule))
            }
            #expect(convolve(.tiles).scalars == convolve(.bands).scalars)
        }
        if BF16Products.isAvailable {
            // bfloat16 products: blocks of 32 tiles (8 of them), and V again as bf16 pairs.
            let reducedWeights = WinogradWeightsBF16<WinogradF4>.of(randomTensor([8, 8, 3, 3], seed: 90))
            let reduced = WinogradTileConvolution(weights: .bfloat16(reducedWeights), height: 64, width: 64, padding: 1)
            #expect(reduced.blockCount == 8)
            #expect(reduced.blockBytes == 36 * (16 * 32 + 2 * 16) * 4 + 36 * (4 * 2 * 32 + 2 * 16) * 2)
            #expect(reduced.prefersTiles(threads: 2, cacheBytes: 1 << 20))
            // Only one chunk of 8 channels is kept in float32: 64 channels add bf16 pairs only.
            let wide = WinogradTileConvolution(
                weights: .bfloat16(WinogradWeightsBF16<WinogradF4>.of(randomTensor([8, 64, 3, 3], seed: 92))),
                height: 16, width: 16, padding: 1)
            #expect(wide.blockBytes == 36 * (16 * 32 + 2 * 16) * 4 + 36 * (32 * 2 * 32 + 2 * 16) * 2)
            // 16 tiles of F(4x4): 1 block, for one thread only; 2 blocks for 2 threads.
            #expect(wide.blockCount == 1 && wide.prefersTiles(threads: 1) && !wide.prefersTiles(threads: 2))
            let two = WinogradTileConvolution(
                weights: .bfloat16(reducedWeights), height: 32, width: 32, padding: 1)
            #expect(two.blockCount == 2 && two.prefersTiles(threads: 2) && !two.prefersTiles(threads: 4))
        }
    }
}
