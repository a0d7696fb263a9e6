import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// `WeightFile.convertToSafeTensors` (what `diffdub convert` runs): the converted fixture
/// checkpoints keep every key, dtype and value, and each model loads them through its one
/// entry with outputs identical to the torch file's.
@Suite struct ConvertTests {
    /// Converts `fixture` into `directory` and checks keys, dtypes and shapes are unchanged.
    static func convert(_ fixture: String, into directory: TemporaryDirectory) throws -> (URL, URL) {
        let input = Fixtures.url(fixture)
        let output = directory.url.appendingPathComponent(input.deletingPathExtension().lastPathComponent + ".safetensors")
        let conversion = try WeightFile.convertToSafeTensors(input, output: output)
        #expect(try WeightFile.format(of: output) == .safetensors)
        let original = try WeightFile.checkpoint(contentsOf: input)
        let converted = try WeightFile.checkpoint(contentsOf: output)
        #expect(conversion.tensorCount == original.count)
        #expect(converted.keys == original.keys)
        for key in original.keys {
            let (a, b) = (original[key]!, converted[key]!)
            #expect(a.scalarType == b.scalarType && a.shape == b.shape, "\(key)")
            #expect(try a.loadStoredBytes() == b.loadStoredBytes(), "\(key)")
        }
        // Nothing but the output is left in the folder (the temporary file was renamed).
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == [output.lastPathComponent])
        return (input, output)
    }

    @Test func stage1GivesIdenticalOutputs() throws {
        let directory = try TemporaryDirectory()
        let (input, output) = try Self.convert("stage1/stage1.ckpt", into: directory)
        let torch = try Renderer(checkpoint: input)
        let converted = try Renderer(checkpoint: output)
        #expect(converted.configuration == torch.configuration)
        let images = try Fixtures.tensor("stage1/encoder_in.npy")
        #expect(maxAbsDifference(try torch.encode(images), try converted.encode(images)) == 0)
        let x = try Fixtures.tensor("stage1/unet_x.npy")
        let latents = try Fixtures.tensor("stage1/unet_cond.npy")
        let timesteps = [Float](repeating: 500, count: x.shape[0])
        let a = try torch.predictNoise(x, timesteps: timesteps, latents: latents)
        let b = try converted.predictNoise(x, timesteps: timesteps, latents: latents)
        #expect(maxAbsDifference(a, b) == 0)
    }

    @Test(arguments: ["stage2/stage2.ckpt", "stage2/stage2_legacy.ckpt"])
    func stage2GivesIdenticalOutputs(fixture: String) throws {
        let directory = try TemporaryDirectory()
        let (input, output) = try Self.convert(fixture, into: directory)
        let torch = try LipLatentPredictor(checkpoint: input)
        let converted = try LipLatentPredictor(checkpoint: output)
        #expect(converted.configuration == torch.configuration)
        let hubert = try Fixtures.tensor("stage2/audio.npy")
        let reference = try Fixtures.tensor("stage2/reference.npy")
        let a = try torch.predict(hubert: hubert, reference: reference)
        let b = try converted.predict(hubert: hubert, reference: reference)
        #expect(maxAbsDifference(a, b) == 0)
        #expect(maxAbsDifference(a, try Fixtures.tensor("stage2/out.npy")) < 1e-4)
    }

    @Test func faceModelsLoadTheirConversions() throws {
        let directory = try TemporaryDirectory()
        let (detectorInput, detectorOutput) = try Self.convert("detector/faceboxesv2.pth", into: directory)
        let torchDetector = try FaceBoxesDetector(checkpoint: detectorInput)
        let convertedDetector = try FaceBoxesDetector(checkpoint: detectorOutput)
        let image = try Fixtures.rgbImage("detector/img0_bgr_uint8.npy")
        let input = FaceBoxesDetector.networkInput(image)
        let (torchLoc, torchConf) = torchDetector.network(input)
        let (convertedLoc, convertedConf) = convertedDetector.network(input)
        #expect(maxAbsDifference(torchLoc, convertedLoc) == 0)
        #expect(maxAbsDifference(torchConf, convertedConf) == 0)

        let other = try TemporaryDirectory()
        let (landmarkerInput, landmarkerOutput) = try Self.convert("pipnet/pipnet.pth", into: other)
        let torchLandmarker = try PIPNetLandmarker(checkpoint: landmarkerInput)
        let convertedLandmarker = try PIPNetLandmarker(checkpoint: landmarkerOutput)
        let crop = try Fixtures.rgbImage("pipnet/crop0_rgb_uint8.npy")
        let torchHeads = torchLandmarker.network(torchLandmarker.networkInput(crop))
        let convertedHeads = convertedLandmarker.network(convertedLandmarker.networkInput(crop))
        #expect(maxAbsDifference(torchHeads.cls, convertedHeads.cls) == 0)
        #expect(maxAbsDifference(torchHeads.x, convertedHeads.x) == 0)
        #expect(maxAbsDifference(torchHeads.y, convertedHeads.y) == 0)
        #expect(maxAbsDifference(torchHeads.neighborX, convertedHeads.neighborX) == 0)
        #expect(maxAbsDifference(torchHeads.neighborY, convertedHeads.neighborY) == 0)
        #expect(torchLandmarker.landmarks(in: crop) == convertedLandmarker.landmarks(in: crop))
    }

    @Test func refusesToOverwriteItsInputAndNamesUnreadableFiles() throws {
        let directory = try TemporaryDirectory()
        let copy = directory.url.appendingPathComponent("stage2.ckpt")
        try FileManager.default.copyItem(at: Fixtures.url("stage2/stage2.ckpt"), to: copy)
        #expect(throws: CheckpointError.self) { try WeightFile.convertToSafeTensors(copy, output: copy) }
        let bad = directory.url.appendingPathComponent("notes.txt")
        try Data("not a checkpoint".utf8).write(to: bad)
        do {
            try WeightFile.convertToSafeTensors(bad, output: directory.url.appendingPathComponent("x.safetensors"))
            Issue.record("a text file should not convert")
        } catch {
            #expect(error.localizedDescription.contains(bad.path))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("x.safetensors").path))
    }
}
