import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

@Suite("Configuration inference, strict binding and key errors")
struct RendererWeightsTests {
    static func fixtureStateDict() throws -> StateDict {
        try TorchCheckpoint.stateDict(contentsOf: Fixtures.url("stage1/stage1.ckpt"))
    }

    @Test("the released configuration is inferred back from its random-weight layout")
    func releasedInference() throws {
        let weights = RendererWeights.random(configuration: .released, seed: 1)
        let inferred = try RendererConfiguration.inferred(from: WeightBinder(weights))
        #expect(inferred == .released)
        #expect(inferred.attentionResolutions == [16])
        // UNet ~138 M and encoder ~30 M parameters, as the reference says.
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
        let weights = WeightBinder(RendererWeights.random(configuration: configuration, seed: 2))
        #expect(try RendererConfiguration.inferred(from: weights, imageSize: 64) == configuration)
        // Without a size, attention at level 1 means resolution 16 there: 32.
        #expect(try RendererConfiguration.inferred(from: weights).imageSize == 32)
        let renderer = try Renderer(
            stateDict: RendererWeights.random(configuration: configuration, seed: 2), prefix: "", imageSize: 64)
        var generator = SeededGenerator(seed: 3)
        let latents = try renderer.encode(Tensor.random([2, 3, 64, 64], using: &generator))
        #expect(latents.shape == [2, 12])
    }

    @Test("fixture checkpoint binds ema_model.* strictly; model.* and x_T are ignored")
    func strictBinding() throws {
        let stateDict = try Self.fixtureStateDict()
        #expect(stateDict.keys.contains("x_T"))
        #expect(stateDict.containsKeys(withPrefix: "model."))
        var extra = stateDict
        extra.set(TensorRecord(Tensor(zeros: [3])), forKey: "ema_model.encoder.unused.weight")
        #expect(throws: WeightError.unexpected(keys: ["ema_model.encoder.unused.weight"], source: stateDict.source)) {
            try Renderer(stateDict: extra)
        }
        let nothing = StateDict(source: "x.ckpt", records: stateDict.records.filter { !$0.key.hasPrefix("ema_model.") })
        #expect(throws: RendererError.missingPrefix(prefix: "ema_model.", source: "x.ckpt")) {
            try Renderer(stateDict: nothing)
        }
    }

    @Test(
        "a missing tensor is named",
        arguments: [
            "ema_model.output_blocks.4.0.cond_emb_layers.1.bias",
            "ema_model.encoder.middle_block.1.qkv.weight",
            "ema_model.time_embed.time_embed.2.weight",
        ])
    func missingKey(key: String) throws {
        let stateDict = try Self.fixtureStateDict()
        let damaged = StateDict(source: stateDict.source, records: stateDict.records.filter { $0.key != key })
        do {
            _ = try Renderer(stateDict: damaged)
            Issue.record("binding without \(key) should fail")
        } catch {
            #expect("\(error)".contains("'\(key)'"))
        }
    }

    @Test("a mis-shaped tensor is named with both shapes")
    func misShapedKey() throws {
        var stateDict = try Self.fixtureStateDict()
        let key = "ema_model.input_blocks.4.1.proj_out.weight"
        let shape = try #require(stateDict[key]?.shape)
        stateDict.set(TensorRecord(Tensor(zeros: [shape[0], shape[1] + 1, 1])), forKey: key)
        do {
            _ = try Renderer(stateDict: stateDict)
            Issue.record("binding a mis-shaped \(key) should fail")
        } catch let error as WeightError {
            guard case .shapeMismatch(let found, let expected, let got, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(found == key)
            #expect(expected == shape)
            #expect(got == [shape[0], shape[1] + 1, 1])
        }
    }
}
