import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// The one loading entry (`WeightFile.checkpoint`) behind every model: formats are recognised
/// by content, and a damaged file's error names it in `localizedDescription`.
@Suite struct ModelLoadingTests {
    /// Copies the first `bytes` bytes of a fixture to `name` in `directory`.
    static func truncated(_ fixture: String, bytes: Int, as name: String, in directory: TemporaryDirectory) throws -> URL {
        let data = try Data(contentsOf: Fixtures.url(fixture))
        let url = directory.url.appendingPathComponent(name)
        try data.prefix(bytes).write(to: url)
        return url
    }

    static func expectErrorNamesTheFile(_ url: URL, _ load: () throws -> Void) {
        do {
            try load()
            Issue.record("\(url.lastPathComponent) should not load")
        } catch {
            let message = error.localizedDescription
            #expect(message.contains(url.path), "\(message)")
            #expect(!message.contains("The operation could not be completed"), "\(message)")
        }
    }

    @Test(arguments: [1000, 200_000])
    func truncatedCheckpointsNameTheFile(bytes: Int) throws {
        let directory = try TemporaryDirectory()
        let stage1 = try Self.truncated("stage1/stage1.ckpt", bytes: bytes, as: "s1.ckpt", in: directory)
        Self.expectErrorNamesTheFile(stage1) { _ = try Renderer(checkpoint: stage1) }
        let stage2 = try Self.truncated("stage2/stage2.ckpt", bytes: bytes, as: "s2.ckpt", in: directory)
        Self.expectErrorNamesTheFile(stage2) { _ = try LipLatentPredictor(checkpoint: stage2) }
        let legacy = try Self.truncated("stage2/stage2_legacy.ckpt", bytes: bytes, as: "s2l.ckpt", in: directory)
        Self.expectErrorNamesTheFile(legacy) { _ = try LipLatentPredictor(checkpoint: legacy) }
        let detector = try Self.truncated("detector/faceboxesv2.pth", bytes: bytes, as: "fb.pth", in: directory)
        Self.expectErrorNamesTheFile(detector) { _ = try FaceBoxesDetector(checkpoint: detector) }
        let pipnet = try Self.truncated("pipnet/pipnet.pth", bytes: bytes, as: "pip.pth", in: directory)
        Self.expectErrorNamesTheFile(pipnet) { _ = try PIPNetLandmarker(checkpoint: pipnet) }
        let hubert = directory.url.appendingPathComponent("hubert")
        try FileManager.default.createDirectory(at: hubert, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Fixtures.url("hubert/base/config.json"), to: hubert.appendingPathComponent("config.json"))
        let weights = try Data(contentsOf: Fixtures.url("hubert/base/pytorch_model.bin"))
        let hubertWeights = hubert.appendingPathComponent("pytorch_model.bin")
        try weights.prefix(bytes).write(to: hubertWeights)
        Self.expectErrorNamesTheFile(hubertWeights) { _ = try HubertModel(modelFolder: hubert) }
    }

    @Test func theFormatComesFromTheContentNotTheName() throws {
        let directory = try TemporaryDirectory()
        let converted = directory.url.appendingPathComponent("stage2.safetensors")
        try WeightFile.convertToSafeTensors(Fixtures.url("stage2/stage2.ckpt"), output: converted)
        let misnamed = directory.url.appendingPathComponent("stage2.ckpt")
        try FileManager.default.moveItem(at: converted, to: misnamed)
        #expect(try WeightFile.format(of: misnamed) == .safetensors)
        let predictor = try LipLatentPredictor(checkpoint: misnamed)
        let original = try LipLatentPredictor(checkpoint: Fixtures.url("stage2/stage2.ckpt"))
        #expect(predictor.configuration == original.configuration)
    }

    @Test func aNumPyArrayIsNotAModel() throws {
        let url = Fixtures.url("stage2/audio.npy")
        Self.expectErrorNamesTheFile(url) { _ = try LipLatentPredictor(checkpoint: url) }
    }
}
