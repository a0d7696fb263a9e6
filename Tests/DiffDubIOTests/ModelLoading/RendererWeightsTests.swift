import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// The fixture checkpoint `stage1/stage1.ckpt` and random renderers written to files; inference
/// from random models in memory is tested in DiffDubCoreTests/Renderer/RendererWeightsTests.swift.
@Suite("Configuration inference, strict binding and key errors")
struct RendererWeightsTests {
    static func fixtureStateDict() throws -> StateDict {
        try TorchCheckpoint.stateDict(contentsOf: Fixtures.url("stage1/stage1.ckpt"))
    }

    /// The checkpoint (keys under `prefix`) of a random renderer, recorded by its binder.
    static func randomCheckpoint(
        _ configuration: RendererConfiguration, seed: UInt64, prefix: String = "ema_model"
    ) throws -> (renderer: Renderer, stateDict: StateDict) {
        try RandomCheckpoints.renderer(configuration, seed: seed, prefix: prefix)
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
