import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// The face networks state their layout once, in their binding code: a random model's
/// recorded checkpoint has the fixture checkpoints' keys and shapes, and loads back.
@Suite struct FaceModelLayoutTests {
    static func shapes(_ dict: StateDict) -> [String: [Int]] {
        Dictionary(uniqueKeysWithValues: dict.keys.compactMap { key in dict[key].map { (key, $0.shape) } })
    }

    @Test func faceBoxesRandomLayoutIsTheFixtureLayout() throws {
        let fixture = try WeightFile.checkpoint(contentsOf: Fixtures.url("detector/faceboxesv2.pth"))
        let weights = WeightBinder(randomSeed: 1)
        _ = try FaceBoxesNetwork(weights.scoped("module"))
        #expect(Self.shapes(weights.boundStateDict) == Self.shapes(fixture))
        _ = try FaceBoxesDetector(stateDict: weights.boundStateDict)
    }

    @Test func pipNetRandomLayoutIsTheFixtureLayout() throws {
        let fixture = try WeightFile.checkpoint(contentsOf: Fixtures.url("pipnet/pipnet.pth"))
        let prefixed = fixture.keys.allSatisfy { $0.hasPrefix("module.") }
        let weights = WeightBinder(randomSeed: 1)
        let network = try PIPNetNetwork(prefixed ? weights.scoped("module") : weights)
        #expect(network.landmarkCount == 68 && network.neighborCount == 10)
        #expect(Self.shapes(weights.boundStateDict) == Self.shapes(fixture))
        _ = try PIPNetLandmarker(stateDict: weights.boundStateDict)
    }
}
