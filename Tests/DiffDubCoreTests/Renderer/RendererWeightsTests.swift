import DiffDubCore
import Foundation
import TestSupport
import Testing

/// (The layout of the fixture checkpoint, loading a written checkpoint and strict binding of the
/// fixture checkpoint are tested in DiffDubIOTests/ModelLoading/RendererWeightsTests.swift.)
@Suite("Configuration inference, strict binding and key errors")
struct RendererWeightsTests {
    /// The checkpoint (keys under `prefix`) of a random renderer, recorded by its binder.
    static func randomCheckpoint(
        _ configuration: RendererConfiguration, seed: UInt64, prefix: String = "ema_model"
    ) throws -> (renderer: Renderer, stateDict: StateDict) {
        try RandomCheckpoints.renderer(configuration, seed: seed, prefix: prefix)
    }

    @Test("the released configuration is inferred back from a random model's recorded checkpoint")
    func releasedInference() throws {
        let weights = try Self.randomCheckpoint(.released, seed: 1, prefix: "").stateDict
        let inferred = try RendererConfiguration.inferred(from: WeightBinder(weights))
        #expect(inferred == .released)
        #expect(inferred.attentionResolutions == [16])
        // UNet ~138 M and encoder ~30 M parameters.
        let unet = weights.records.filter { !$0.key.hasPrefix("encoder.") }.values.reduce(0) { $0 + $1.elementCount }
        let encoder = weights.floatParameterCount - unet
        #expect(abs(Double(unet) / 1e6 - 138) < 1.5)
        #expect(abs(Double(encoder) / 1e6 - 30) < 1.5)
    }

    @Test("other layouts round-trip too (1 or 3 res blocks, several attention levels, explicit size)")
    func otherLayouts() throws {
        let configuration = RendererConfiguration(
            imageSize: 64,
            unet: UNetConfiguration(
                inChannels: 6, outChannels: 3, modelChannels: 32, channelMultipliers: [1, 2, 3],
                resBlocksPerLevel: 3, attentionLevels: [1, 2], embedChannels: 16, styleChannels: 12),
            encoder: SemanticEncoderConfiguration(
                inChannels: 3, modelChannels: 32, channelMultipliers: [1, 1, 2], resBlocksPerLevel: 1,
                attentionLevels: [2], outChannels: 12))
        let (random, checkpoint) = try Self.randomCheckpoint(configuration, seed: 2, prefix: "")
        let weights = WeightBinder(checkpoint)
        #expect(try RendererConfiguration.inferred(from: weights, imageSize: 64) == configuration)
        // Without a size, attention at level 1 means resolution 16 there: 32.
        #expect(try RendererConfiguration.inferred(from: weights).imageSize == 32)
        let renderer = try Renderer(stateDict: checkpoint, prefix: "", imageSize: 64)
        var generator = SeededGenerator(seed: 3)
        let images = Tensor.random([2, 3, 64, 64], using: &generator)
        let latents = try renderer.encode(images)
        #expect(latents.shape == [2, 12])
        #expect(maxAbsDifference(latents, try random.encode(images)) == 0)
    }
}
