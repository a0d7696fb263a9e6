import DiffDubCore
import DiffDubIO
import TestSupport
import Testing

/// The stage-2 layout stated by the binding code is the fixture checkpoint's (`stage2/stage2.ckpt`);
/// random models and binding errors in memory are tested in DiffDubCoreTests/LipSync/LipLatentWeightsTests.swift.
@Suite struct LipLatentWeightsTests {
    @Test func randomLayoutIsTheFixtureCheckpointsLayout() throws {
        let fixture = try TorchCheckpoint.stateDict(contentsOf: Fixtures.url("stage2/stage2.ckpt"))
        let prefix = LipLatentPredictor.checkpointPrefix
        let configuration = try LipLatentPredictor(stateDict: fixture).configuration
        let random = try RandomCheckpoints.lipLatentPredictor(configuration, seed: 1)
        let fixtureShapes = Dictionary(
            uniqueKeysWithValues: fixture.keys.filter { $0.hasPrefix(prefix) }.compactMap { key in
                fixture[key].map { (key, $0.shape) }
            })
        let randomShapes = Dictionary(uniqueKeysWithValues: random.keys.compactMap { key in random[key].map { (key, $0.shape) } })
        #expect(randomShapes == fixtureShapes)
    }
}
