import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// Random Hubert models come from the model's own binding code (`HubertModel(_:configuration:)`
/// over `WeightBinder(randomSeed:)`): their recorded checkpoint has exactly the fixture's keys
/// and shapes, loads back through the model folder entry, and the released-size model runs.
/// (The released size is checked in DiffDubCoreTests/Speech/HubertRandomWeightsTests.swift.)
@Suite struct HubertRandomWeightsTests {
    static func small(stable: Bool) -> HubertConfiguration {
        HubertConfiguration(
            hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 48,
            convDim: Array(repeating: 16, count: 7), convBias: stable,
            featExtractNorm: stable ? .layer : .group, doStableLayerNorm: stable,
            numConvPosEmbeddings: 16, numConvPosEmbeddingGroups: 4, convPosBatchNorm: !stable)
    }

    /// A random model and its checkpoint, recorded by the binder that built it.
    static func random(_ configuration: HubertConfiguration, seed: UInt64) throws -> (HubertModel, StateDict) {
        try RandomCheckpoints.hubert(configuration, seed: seed)
    }

    @Test(arguments: [true, false])
    func randomCheckpointLoadsBackFromAModelFolder(stable: Bool) throws {
        let configuration = Self.small(stable: stable)
        let (model, checkpoint) = try Self.random(configuration, seed: 3)
        let directory = try TemporaryDirectory()
        try JSONEncoder().encode(configuration).write(to: directory.url.appendingPathComponent("config.json"))
        try SafeTensorsFile.write(checkpoint, to: directory.url.appendingPathComponent("model.safetensors"))
        let loaded = try HubertModel(modelFolder: directory.url)
        let input = Tensor(shape: [8000], scalars: (0..<8000).map { Float(sin(Double($0) * 0.01)) })
        let states = try model.hiddenStates(inputValues: input)
        let loadedStates = try loaded.hiddenStates(inputValues: input)
        #expect(states.count == 3)
        #expect(states.allSatisfy { $0.shape == [24, 32] })
        #expect(zip(states, loadedStates).allSatisfy { maxAbsDifference($0, $1) == 0 })
        let (other, _) = try Self.random(configuration, seed: 4)
        #expect(maxAbsDifference(states[2], try other.hiddenStates(inputValues: input)[2]) > 1e-3)
    }

    @Test(arguments: ["large", "base"])
    func randomLayoutIsTheFixturesLayout(layout: String) throws {
        let folder = Fixtures.url("hubert/\(layout)")
        let configuration = try HubertConfiguration(contentsOf: folder.appendingPathComponent("config.json"))
        let fixture = HubertModel.sanitize(
            try WeightFile.checkpoint(contentsOf: folder.appendingPathComponent("pytorch_model.bin")))
        let (_, random) = try Self.random(configuration, seed: 1)
        func shapes(_ dict: StateDict) -> [String: [Int]] {
            Dictionary(uniqueKeysWithValues: dict.keys.compactMap { key in dict[key].map { (key, $0.shape) } })
        }
        #expect(shapes(random) == shapes(fixture))
    }
}
