import DiffDubCore
import Foundation
import TestSupport
import Testing

/// The UNet with its fast convolutions (Winograd F(6x6, 3x3) and F(4x4, 3x3) where
/// ``Conv2dAlgorithm/automatic`` picks them) against the same UNet with every convolution on
/// im2col, on a mid-size configuration (64 x 64, 32 channels: F(6x6) at 64 x 64, F(4x4) at
/// 32 x 32, im2col below). The released size is
/// `diffdub-bench unet-accuracy` (Docs/PERFORMANCE.md).
@Suite("Fast convolution path on a UNet")
struct FastPathAccuracyTests {
    static let configuration = RendererConfiguration(
        imageSize: 64,
        unet: UNetConfiguration(
            inChannels: 6, outChannels: 3, modelChannels: 32, channelMultipliers: [1, 2, 2], resBlocksPerLevel: 1,
            attentionLevels: [2], embedChannels: 128, styleChannels: 64),
        encoder: SemanticEncoderConfiguration(
            inChannels: 3, modelChannels: 32, channelMultipliers: [1, 2, 2], resBlocksPerLevel: 1,
            attentionLevels: [2], outChannels: 64))

    @Test("eps of the Winograd path within 1e-3 of the im2col path, and a batch of 2 equals each alone bit for bit")
    func winogradAgainstIm2col() throws {
        let renderer = try Renderer(WeightBinder(randomSeed: 9), configuration: Self.configuration)
        let x = GaussianNoise.sample(shape: [2, 6, 64, 64], seed: 1)
        let latents = GaussianNoise.sample(shape: [2, 64], seed: 2)
        let fast = try renderer.predictNoise(x, timesteps: [950, 200], latents: latents)
        let reference = try renderer.predictNoise(
            x, timesteps: [950, 200], latents: latents, kernels: KernelSettings(automaticUsesWinograd: false))
        let difference = maxAbsDifference(fast, reference)
        let magnitude = reference.scalars.map { abs($0) }.max() ?? 0
        #expect(difference < 1e-3, "max |eps difference| \(difference) (max |eps| \(magnitude))")
        #expect(difference > 0, "the two paths should differ in rounding, else the test compares nothing")
        #expect(magnitude > 0.1)
        let second = try renderer.predictNoise(
            slice(x, axis: 0, 1..<2), timesteps: [200], latents: slice(latents, axis: 0, 1..<2))
        #expect(slice(fast, axis: 0, 1..<2).scalars == second.scalars)
    }
}
