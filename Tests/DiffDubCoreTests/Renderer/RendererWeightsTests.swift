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

    /// The checkpoint (keys under `prefix`) of a random renderer, recorded by its binder.
    static func randomCheckpoint(
        _ configuration: RendererConfiguration, seed: UInt64, prefix: String = "ema_model"
    ) throws -> (renderer: Renderer, stateDict: StateDict) {
        let weights = WeightBinder(randomSeed: seed)
        let renderer = try Renderer(prefix.isEmpty ? weights : weights.scoped(prefix), configuration: configuration)
        return (renderer, weights.boundStateDict)
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

    @Test("the random layout is the fixture checkpoint's layout (keys and shapes under ema_model.)")
    func randomLayoutIsTheFixtureLayout() throws {
        let fixture = try Self.fixtureStateDict()
        let configuration = try Renderer(stateDict: fixture).configuration
        let random = try Self.randomCheckpoint(configuration, seed: 4).stateDict
        func shapes(_ dict: StateDict) -> [String: [Int]] {
            Dictionary(
                uniqueKeysWithValues: dict.keys.filter { $0.hasPrefix("ema_model.") }.compactMap { key in
                    dict[key].map { (key, $0.shape) }
                })
        }
        #expect(shapes(random) == shapes(fixture))
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

    @Test("a random model written as safetensors loads back through Renderer(checkpoint:) with the same outputs")
    func randomCheckpointFile() throws {
        let configuration = RendererConfiguration(
            imageSize: 32,
            unet: UNetConfiguration(
                inChannels: 6, outChannels: 3, modelChannels: 32, channelMultipliers: [1, 2], resBlocksPerLevel: 1,
                attentionLevels: [1], embedChannels: 16, styleChannels: 8),
            encoder: SemanticEncoderConfiguration(
                inChannels: 3, modelChannels: 32, channelMultipliers: [1, 2], resBlocksPerLevel: 1,
                attentionLevels: [1], outChannels: 8))
        let (random, checkpoint) = try Self.randomCheckpoint(configuration, seed: 11)
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("random.safetensors")
        try SafeTensorsFile.write(checkpoint, to: url)
        let loaded = try Renderer(checkpoint: url)
        #expect(loaded.configuration == configuration)
        let x = GaussianNoise.sample(shape: [1, 6, 32, 32], seed: 1)
        let latents = GaussianNoise.sample(shape: [1, 8], seed: 2)
        let a = try random.predictNoise(x, timesteps: [500], latents: latents)
        let b = try loaded.predictNoise(x, timesteps: [500], latents: latents)
        #expect(maxAbsDifference(a, b) == 0)
        let other = try Self.randomCheckpoint(configuration, seed: 12).renderer
        #expect(maxAbsDifference(a, try other.predictNoise(x, timesteps: [500], latents: latents)) > 1e-3)
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
