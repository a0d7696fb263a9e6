import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// SyncNet against syncnet_python on random weights (`Tests/Fixtures/sync`, see its
/// manifest.json): the legacy `torch.save` model, the clip's frames (read losslessly) and audio
/// (int16 scale), embeddings to 1e-4 relative, distances, offset and confidence to 1e-3.
@Suite(.serialized) struct SyncNetParityTests {
    static let modelURL = Fixtures.url("sync/syncnet.model")
    static let clipURL = Fixtures.url("sync/clip.mp4")

    /// The fixture clip's frames as decoded (no frame-rate filter) and its audio on the int16 scale.
    static func clip() throws -> (frames: [RGBImage], samples: [Float]) {
        let reader = try VideoReader(clipURL, frameRate: nil)
        defer { reader.close() }
        let frames = try reader.readAll()
        let audio = try AudioExtractor.decode(clipURL, sampleRate: 16000, channels: 1)
        return (frames, SyncNet.pcm16Scaled(audio.samples))
    }

    static func expectRelative(_ actual: Tensor, _ expected: Tensor, _ tolerance: Float, _ what: String) {
        #expect(actual.shape == expected.shape, "\(what)")
        let magnitude = expected.scalars.reduce(Float(1)) { max($0, abs($1)) }
        let difference = maxAbsDifference(actual, expected)
        #expect(difference <= tolerance * magnitude, "\(what): difference \(difference), magnitude \(magnitude)")
    }

    @Test func evaluateMatchesSyncNetInstance() throws {
        let syncNet = try SyncNet(checkpoint: Self.modelURL)
        let (frames, samples) = try Self.clip()
        let expected = try Fixtures.json("sync/expected.json")
        #expect(frames.count == expected["frames"] as? Int)
        #expect(samples == (try Fixtures.tensor("sync/audio_int16.npy")).scalars)

        let lips = syncNet.lipEmbeddings(frames: frames, windows: 8)
        Self.expectRelative(lips, try Fixtures.tensor("sync/lip_emb.npy"), 1e-4, "lip embeddings")
        let audio = syncNet.audioEmbeddings(samples: samples, windows: 8)
        Self.expectRelative(audio, try Fixtures.tensor("sync/aud_emb.npy"), 1e-4, "audio embeddings")

        let scores = try syncNet.evaluate(frames: frames, samples: samples, vshift: 15)
        #expect(scores.windows == expected["windows"] as? Int)
        #expect(scores.offset == expected["offset"] as? Int)
        let minDistance = try #require(expected["min_dist"] as? Double)
        let confidence = try #require(expected["confidence"] as? Double)
        #expect(abs(Double(scores.minDistance) - minDistance) < 1e-3)
        #expect(abs(Double(scores.confidence) - confidence) < 1e-3)
        let framewise = try #require(expected["framewise_conf"] as? [Double])
        #expect(framewise.count == scores.framewiseConfidence.count)
        for (a, e) in zip(scores.framewiseConfidence, framewise) { #expect(abs(Double(a) - e) < 1e-3) }
        let distances = try Fixtures.tensor("sync/dists.npy")
        let actual = Tensor(shape: [scores.windows, 31], scalars: scores.distances.flatMap { $0 })
        #expect(maxAbsDifference(actual, distances) < 1e-3)
    }

    @Test func safetensorsWithTheSameKeysLoadTheSameModel() throws {
        let directory = try TemporaryDirectory()
        let legacy = try SyncNet(checkpoint: Self.modelURL)
        let url = directory.url.appendingPathComponent("syncnet.safetensors")
        try SafeTensorsFile.write(try WeightFile.checkpoint(contentsOf: Self.modelURL), to: url)
        let converted = try SyncNet(checkpoint: url)
        var generator = SplitMix64(seed: 3)
        let samples = (0..<(640 * 8)).map { _ in Float.random(in: -5000...5000, using: &generator) }
        let a = legacy.audioEmbeddings(samples: samples, windows: 2)
        let b = converted.audioEmbeddings(samples: samples, windows: 2)
        #expect(a.shape == b.shape && a.scalars == b.scalars)
    }

    /// The same state dict as a zip `torch.save` file (PyTorch 1.6+), a plain `{key: tensor}`.
    @Test func theZipFormatLoadsTheSameModel() throws {
        let stateDict = try WeightFile.checkpoint(contentsOf: Self.modelURL)
        var pickle = PickleBuilder()
        pickle.emptyDict()
        pickle.mark()
        var storages: [String: [UInt8]] = [:]
        for (index, key) in stateDict.keys.enumerated() {
            let record = try #require(stateDict[key])
            let shape = record.shape
            var strides = [Int](repeating: 1, count: shape.count)
            for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
            let count = shape.reduce(1, *)
            pickle.string(key)
            if key.hasSuffix("num_batches_tracked") {
                pickle.tensor(storageType: "LongStorage", key: "\(index)", numel: 1, offset: 0, shape: shape, strides: strides)
                storages["\(index)"] = littleEndianBytes([Int64(0)])
            } else {
                pickle.tensor(storageType: "FloatStorage", key: "\(index)", numel: count, offset: 0, shape: shape, strides: strides)
                storages["\(index)"] = littleEndianBytes(try record.load().scalars)
            }
        }
        pickle.setItems()
        pickle.stop()
        var zip = ZipBuilder()
        zip.add("syncnet_v2/data.pkl", pickle.bytes)
        for key in storages.keys.sorted() { zip.add("syncnet_v2/data/\(key)", storages[key] ?? []) }
        zip.add("syncnet_v2/version", Array("3\n".utf8))
        let url = try temporaryFile("syncnet_v2.model", zip.build())
        #expect(try WeightFile.format(of: url) == .torchZip)
        let zipped = try SyncNet(checkpoint: url)
        let legacy = try SyncNet(checkpoint: Self.modelURL)
        var generator = SplitMix64(seed: 5)
        let samples = (0..<(640 * 8)).map { _ in Float.random(in: -5000...5000, using: &generator) }
        let a = legacy.audioEmbeddings(samples: samples, windows: 2)
        let b = zipped.audioEmbeddings(samples: samples, windows: 2)
        #expect(a.shape == b.shape && a.scalars == b.scalars)
    }

    @Test func aModelOfAnotherShapeFailsNamingTheKeyAndTheFile() throws {
        let directory = try TemporaryDirectory()
        var stateDict = try WeightFile.checkpoint(contentsOf: Self.modelURL)
        stateDict.set(TensorRecord(Tensor(zeros: [512, 512])), forKey: "netfcaud.3.weight")
        let url = directory.url.appendingPathComponent("narrow.safetensors")
        try SafeTensorsFile.write(stateDict, to: url)
        #expect {
            try SyncNet(checkpoint: url)
        } throws: { error in
            let message = error.localizedDescription
            return message.contains("netfcaud.3.weight") && message.contains(url.path) && !message.contains("\n")
        }
    }

    @Test func anotherModelIsNotTakenForSyncNet() throws {
        #expect {
            try SyncNet(checkpoint: Fixtures.url("pipeline/stage2.ckpt"))
        } throws: { error in
            error.localizedDescription.contains("not a SyncNet model")
        }
    }
}
