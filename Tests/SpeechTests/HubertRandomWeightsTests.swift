import DiffDubCore
import Foundation
import TestSupport
import Testing

/// The random-weights builder produces exactly the keys a model binds (strictly), in both
/// layouts, and the released-size model runs.
@Suite struct HubertRandomWeightsTests {
    static func small(stable: Bool) -> HubertConfiguration {
        HubertConfiguration(
            hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 48,
            convDim: Array(repeating: 16, count: 7), convBias: stable,
            featExtractNorm: stable ? .layer : .group, doStableLayerNorm: stable,
            numConvPosEmbeddings: 16, numConvPosEmbeddingGroups: 4, convPosBatchNorm: !stable)
    }

    @Test(arguments: [true, false])
    func randomWeightsBindStrictly(stable: Bool) throws {
        let configuration = Self.small(stable: stable)
        let model = try HubertModel(
            stateDict: HubertRandomWeights.stateDict(configuration: configuration, seed: 3),
            configuration: configuration)
        let states = try model.hiddenStates(inputValues: Tensor(shape: [8000], repeating: 0.1))
        #expect(states.count == 3)
        #expect(states.allSatisfy { $0.shape == [24, 32] })
    }

    @Test func releasedConfigurationHasTheReleasedSize() {
        let c = HubertConfiguration.chineseHubertLarge
        let parameters = HubertRandomWeights.stateDict(configuration: c).floatParameterCount
        // chinese-hubert-large: 316.6 M parameters (315 M in the reference's rounding).
        #expect((310_000_000...320_000_000).contains(parameters), "\(parameters) parameters")
        #expect(c.frameHop == 320 && c.receptiveField == 400)
        #expect(c.frameCount(forSampleCount: 160_000) == 499)
    }

    /// Released size (316 M parameters, random weights) on 10 s of audio: about 45 s in a
    /// debug build on 2 cores; `diffdub-bench hubert` times it in release.
    @Test func releasedSizeModelRuns() throws {
        let configuration = HubertConfiguration.chineseHubertLarge
        let model = try HubertModel(
            stateDict: HubertRandomWeights.stateDict(configuration: configuration), configuration: configuration)
        var generator = SeededGenerator(seed: 5)
        let audio = Tensor.random([160000], in: -0.5...0.5, using: &generator).scalars
        let features = try HubertFeatureExtractor(model: model).features(samples: audio, sampleRate: 16000)
        #expect(features.shape == [25, 500, 1024])
        #expect(features.scalars.allSatisfy { $0.isFinite })
    }
}
