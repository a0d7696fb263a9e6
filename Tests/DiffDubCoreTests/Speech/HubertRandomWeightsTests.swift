import DiffDubCore
import Foundation
import TestSupport
import Testing

/// Random Hubert models come from the model's own binding code (`HubertModel(_:configuration:)`
/// over `WeightBinder(randomSeed:)`): their recorded checkpoint has exactly the fixture's keys
/// and shapes, loads back through the model folder entry, and the released-size model runs.
/// (Comparing with the fixture and loading back from a folder are in
/// DiffDubIOTests/ModelLoading/HubertRandomWeightsTests.swift.)
@Suite struct HubertRandomWeightsTests {
    /// A random model and its checkpoint, recorded by the binder that built it.
    static func random(_ configuration: HubertConfiguration, seed: UInt64) throws -> (HubertModel, StateDict) {
        try RandomCheckpoints.hubert(configuration, seed: seed)
    }

    @Test func releasedConfigurationHasTheReleasedSize() throws {
        let c = HubertConfiguration.chineseHubertLarge
        let parameters = try Self.random(c, seed: 0).1.floatParameterCount
        // chinese-hubert-large: 316.6 M parameters.
        #expect((310_000_000...320_000_000).contains(parameters), "\(parameters) parameters")
        #expect(c.frameHop == 320 && c.receptiveField == 400)
        #expect(c.frameCount(forSampleCount: 160_000) == 499)
    }

    /// Released size (316 M parameters, random weights) on 10 s of audio: `diffdub-bench
    /// hubert` times it.
    @Test func releasedSizeModelRuns() throws {
        let configuration = HubertConfiguration.chineseHubertLarge
        let model = try HubertModel(WeightBinder(randomSeed: 0), configuration: configuration)
        var generator = SeededGenerator(seed: 5)
        let audio = Tensor.random([160000], in: -0.5...0.5, using: &generator).scalars
        let features = try HubertFeatureExtractor(model: model).features(samples: audio, sampleRate: 16000)
        #expect(features.shape == [25, 500, 1024])
        #expect(features.scalars.allSatisfy { $0.isFinite })
    }
}
