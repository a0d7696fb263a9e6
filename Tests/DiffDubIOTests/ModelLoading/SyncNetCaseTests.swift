import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// SyncNet against syncnet_python on further cases (`Tests/Fixtures/sync/cases`, made by
/// `make_cases.py` running syncnet_python's own code): slices of the fixture clip of other
/// lengths (odd frame counts, audio shorter than the video or shifted against it, the 6-frame
/// minimum), other weights (SplitMix64 seed 7), and face tracks cropped by `run_pipeline.py`'s
/// `crop_video` (20 frames, and a 6-frame track with its median filter shrunk to 11). MFCC to
/// 1e-4 relative, embeddings to 1e-4 relative, distances, LSE-D, LSE-C and the framewise
/// confidence to 1e-3, offsets exactly.
@Suite(.serialized) struct SyncNetCaseTests {
    static let fixtureModel = Result { try SyncNet(checkpoint: SyncNetParityTests.modelURL) }
    static let clip = Result { try SyncNetParityTests.clip() }

    /// The fixture model's state dict with every float tensor redrawn from SplitMix64(`seed`),
    /// as `make_cases.py`'s `splitmix_state_dict` draws it (keys sorted; float32 arithmetic,
    /// exact in both).
    static func splitMixModel(seed: UInt64) throws -> SyncNet {
        var stateDict = try WeightFile.checkpoint(contentsOf: SyncNetParityTests.modelURL)
        var generator = SplitMix64(seed: seed)
        for key in stateDict.keys where !key.hasSuffix("num_batches_tracked") {
            let shape = try #require(stateDict[key]).shape
            let count = shape.reduce(1, *)
            let bound = Float(1 / Double(shape.dropFirst().reduce(1, *)).squareRoot())
            let values: [Float] = (0..<count).map { _ in
                let u = generator.nextUnitFloat()
                let signed = 2 * u - 1
                if key.hasSuffix("running_var") || (key.hasSuffix("weight") && shape.count == 1) { return 0.5 + u }
                if key.hasSuffix("weight") { return signed * bound }
                return signed * 0.0625
            }
            stateDict.set(TensorRecord(Tensor(shape: shape, scalars: values)), forKey: key)
        }
        return try SyncNet(stateDict: stateDict)
    }

    static func range(_ value: Any?) throws -> Range<Int> {
        let bounds = try #require(value as? [Int])
        return bounds[0]..<bounds[1]
    }

    /// Checks `scores` and the embeddings of the first and last windows against case `name`.
    static func expectCase(
        _ name: String, scores: SyncScores, samples: [Float], frames: [RGBImage], syncNet: SyncNet
    ) throws {
        let folder = "sync/cases/\(name)"
        let expected = try Fixtures.json("\(folder)/expected.json")

        let mfcc = MFCC()
        let mfccFrames = mfcc.frameCount(samples: samples.count)
        let expectedMFCC = try Fixtures.tensor("\(folder)/mfcc.npy")
        #expect([mfcc.cepstrumCount, mfccFrames] == expectedMFCC.shape, "\(name): MFCC shape")
        var worst: Float = 0
        for (a, e) in zip(mfcc.coefficients(samples), expectedMFCC.scalars) { worst = max(worst, abs(a - e) / max(1, abs(e))) }
        #expect(worst < 1e-4, "\(name): MFCC differs by \(worst)")

        let windows = try #require(expected["windows"] as? Int)
        #expect(scores.windows == windows, "\(name): windows")
        let lips = syncNet.lipEmbeddings(frames: frames, windows: windows).scalars
        let audio = syncNet.audioEmbeddings(samples: samples, windows: windows).scalars
        let width = SyncNet.embeddingWidth
        func row(_ values: [Float], _ index: Int) -> [Float] { Array(values[(index * width)..<((index + 1) * width)]) }
        let actual = Tensor(
            shape: [4, width], scalars: row(lips, 0) + row(lips, windows - 1) + row(audio, 0) + row(audio, windows - 1))
        SyncNetParityTests.expectRelative(actual, try Fixtures.tensor("\(folder)/embeddings.npy"), 1e-4, "\(name): embeddings")

        #expect(scores.offset == expected["offset"] as? Int, "\(name): offset")
        let minDistance = try #require(expected["min_dist"] as? Double)
        let confidence = try #require(expected["confidence"] as? Double)
        #expect(abs(Double(scores.minDistance) - minDistance) < 1e-3, "\(name): LSE-D \(scores.minDistance) vs \(minDistance)")
        #expect(abs(Double(scores.confidence) - confidence) < 1e-3, "\(name): LSE-C \(scores.confidence) vs \(confidence)")
        let framewise = try #require(expected["framewise_conf"] as? [Double])
        #expect(framewise.count == scores.framewiseConfidence.count, "\(name): framewise count")
        for (a, e) in zip(scores.framewiseConfidence, framewise) { #expect(abs(Double(a) - e) < 1e-3, "\(name): framewise") }
        let distances = Tensor(shape: [scores.windows, 31], scalars: scores.distances.flatMap { $0 })
        #expect(maxAbsDifference(distances, try Fixtures.tensor("\(folder)/dists.npy")) < 1e-3, "\(name): distances")
    }

    @Test(arguments: ["odd33", "short_audio", "six_frames", "shifted_audio", "seed7"])
    func clipSliceMatchesEvaluate(_ name: String) throws {
        let expected = try Fixtures.json("sync/cases/\(name)/expected.json")
        let (allFrames, allSamples) = try Self.clip.get()
        let frames = Array(allFrames[try Self.range(expected["frames"])])
        let samples = Array(allSamples[try Self.range(expected["samples"])])
        let weights = try #require(expected["weights"] as? String)
        let syncNet =
            weights == "fixture"
            ? try Self.fixtureModel.get() : try Self.splitMixModel(seed: try #require(UInt64(weights.dropFirst("splitmix:".count))))
        let scores = try syncNet.evaluate(frames: frames, samples: samples)
        try Self.expectCase(name, scores: scores, samples: samples, frames: frames, syncNet: syncNet)
    }

    /// A face track of the clip, cropped as `run_pipeline.py` crops it and scored against the
    /// speech of its frames, through ``SyncNet/evaluate(tracks:in:samples:vshift:)``.
    @Test(arguments: ["track20", "track6"])
    func trackMatchesCropVideoAndEvaluate(_ name: String) throws {
        let expected = try Fixtures.json("sync/cases/\(name)/expected.json")
        let (allFrames, allSamples) = try Self.clip.get()
        let first = try #require(expected["first_frame"] as? Int)
        let boxes = try #require(expected["boxes"] as? [[Double]]).map {
            FaceBox(x1: Float($0[0]), y1: Float($0[1]), x2: Float($0[2]), y2: Float($0[3]), score: 1)
        }
        let track = FaceBoxTrack(shot: 0, face: 0, firstFrame: first, boxes: boxes)
        let source = InMemoryFrames(allFrames)
        let syncNet = try Self.fixtureModel.get()

        let crops = try SyncFaceCrop.images(of: track, in: source)
        let sums = crops.map { crop in
            (0..<3).map { c in stride(from: 2 - c, to: crop.pixels.count, by: 3).reduce(0) { $0 + Int(crop.pixels[$1]) } }
        }
        #expect(sums == (try #require(expected["crop_sums_bgr"] as? [[Int]])), "\(name): crops")

        let scored = try syncNet.evaluate(tracks: [track], in: source, samples: allSamples)
        #expect(scored.count == 1, "\(name): the track is scored")
        let scores = try #require(scored.first).scores
        try Self.expectCase(
            name, scores: scores, samples: SyncNet.samples(allSamples, of: track.frames), frames: crops, syncNet: syncNet)
    }

    /// Five frames are one frame short of a window (`min(frames, samples / 640) - 5` = 0;
    /// syncnet_python's evaluate fails on them too, `make_cases.py` checks it).
    @Test func fiveFramesAreOneShortOfAWindow() throws {
        let (frames, samples) = try Self.clip.get()
        #expect(throws: SyncNetError.tooFewFrames(found: 5, needed: 6)) {
            try Self.fixtureModel.get().evaluate(frames: Array(frames[0..<5]), samples: Array(samples[0..<(5 * 640)]))
        }
        let track = FaceBoxTrack(
            shot: 0, face: 0, firstFrame: 0, boxes: [FaceBox](repeating: FaceBox(x1: 50, y1: 40, x2: 170, y2: 190, score: 1), count: 5))
        #expect(try Self.fixtureModel.get().evaluate(tracks: [track], in: InMemoryFrames(frames), samples: samples).isEmpty)
    }
}
