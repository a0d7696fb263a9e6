import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// Bad inputs to a dubbing run: each is a typed error naming the file, and nothing is written.
@Suite("Dubbing errors")
struct DubbingErrorTests {
    func job(_ directory: TemporaryDirectory) -> DubbingRequest {
        var job = PipelineParityTests.job(output: directory.url.appendingPathComponent("out"))
        job.options.steps = 2
        return job
    }

    func expectNoOutput(_ directory: TemporaryDirectory) throws {
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
            .filter { !$0.hasSuffix(".npy") && !$0.hasSuffix(".txt") && !$0.hasSuffix(".wav") && $0 != "landmarks" }
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test func missingCheckpointIsNamed() async throws {
        let directory = try TemporaryDirectory()
        var job = job(directory)
        let missing = directory.url.appendingPathComponent("nope.ckpt")
        job.models = .files(stage1: missing, stage2: Fixtures.url("pipeline/stage2.ckpt"), imageSize: 32)
        await #expect(throws: DubbingRequestError.missingFile(role: "stage-1 checkpoint", path: missing.path)) {
            try await job.run()
        }
        try expectNoOutput(directory)
    }

    @Test func hubertWidthMustMatchStage2() async throws {
        let directory = try TemporaryDirectory()
        var job = job(directory)
        let wrong = directory.url.appendingPathComponent("hubert.npy")
        try NumPyFile.write(Tensor(zeros: [25, 19, 48]), to: wrong)
        job.speech = .hubertFeatures(wrong)
        do {
            _ = try await job.run()
            Issue.record("expected an error")
        } catch let error as DubbingError {
            #expect("\(error)".hasPrefix(wrong.path))
            #expect("\(error)".contains("[25, T, 32]"))
        }
        let lastLayer = directory.url.appendingPathComponent("last.npy")
        try NumPyFile.write(Tensor(zeros: [19, 32]), to: lastLayer)
        job.speech = .hubertFeatures(lastLayer)
        await #expect(throws: DubbingError.self) { try await job.run() }
        try expectNoOutput(directory)
    }

    @Test func stagesMustAgreeOnLatentWidth() throws {
        let renderer = try Renderer(checkpoint: Fixtures.url("pipeline/stage1.ckpt"), imageSize: 32)
        let predictor = try LipLatentPredictor(
            WeightBinder(randomSeed: 1), configuration: LipLatentPredictorConfiguration(audioWidth: 32, latentWidth: 48))
        #expect(throws: DubbingError.latentWidthMismatch(renderer: 64, predictor: 48)) {
            try Dubber(renderer: renderer, lipPredictor: predictor)
        }
    }

    @Test func landmarksMustHave68PointsAndCoverEveryFrame() async throws {
        let directory = try TemporaryDirectory()
        let folder = directory.url.appendingPathComponent("landmarks")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let names = try FrameFolder(PipelineParityTests.framesFolder).frameNames
        for name in names.dropLast() {
            try FileManager.default.copyItem(
                at: PipelineParityTests.landmarksFolder.appendingPathComponent(name + ".txt"),
                to: folder.appendingPathComponent(name + ".txt"))
        }
        var job = job(directory)
        job.landmarks = .file(folder)
        await #expect(throws: LandmarksError.self) { try await job.run() }  // the last frame has no file

        let short = folder.appendingPathComponent(names.last! + ".txt")
        try String(repeating: "1 2\n", count: 67).write(to: short, atomically: true, encoding: .utf8)
        await #expect(throws: LandmarksError.wrongPointCount(path: short.path, line: nil, found: 67)) {
            try await job.run()
        }

        // Face detection needs its models (the library searches only the model folders it is
        // given: the detector is named here, the landmark model is missing).
        let absent = directory.url.appendingPathComponent("absent_pipnet.pth")
        job.landmarks = .detect(
            DubbingRequest.FaceDetection(detector: Fixtures.url("detector/faceboxesv2.pth"), landmarkModel: absent))
        await #expect(throws: DubbingRequestError.missingFile(role: "landmark model", path: absent.path)) {
            try await job.run()
        }
        try expectNoOutput(directory)
    }

    @Test func speechLongerThanTheVideoPlaysItForwardAndBack() async throws {
        let directory = try TemporaryDirectory()
        var job = job(directory)
        let long = directory.url.appendingPathComponent("long.npy")
        var generator = SeededGenerator(seed: 3)
        try NumPyFile.write(Tensor.random([25, 40, 32], using: &generator), to: long)
        job.speech = .hubertFeatures(long)
        // Default fit: as long as the speech, the 10 frames running 0...9, 8...0, 1 (ping-pong).
        let summary = try await job.run()
        #expect(summary.latentCount == 20)
        #expect(summary.renderedFrames == 0..<20)
        #expect(summary.warnings.isEmpty)
        let output = try FrameFolder(directory.url.appendingPathComponent("out"))
        #expect(output.count == 20)
        // The original's fit: cut to the video, with a warning.
        job.options.fit = .shortest
        job.overwrite = true  // the first run's folder
        let cut = try await job.run()
        #expect(cut.renderedFrames == 0..<10)
        #expect(cut.warnings.count == 1)
    }

    @Test func emptyAudioIsRejected() async throws {
        let directory = try TemporaryDirectory()
        var job = job(directory)
        let silent = directory.url.appendingPathComponent("empty.wav")
        // A valid WAV header (16 kHz mono 16-bit) with no samples.
        var header = Data("RIFF".utf8) + le32(36) + Data("WAVEfmt ".utf8) + le32(16)
        header += le16(1) + le16(1) + le32(16000) + le32(32000) + le16(2) + le16(16)
        header += Data("data".utf8) + le32(0)
        try header.write(to: silent)
        job.audio = silent
        job.output = .video(directory.url.appendingPathComponent("out.mp4"))
        let error = await #expect(throws: (any Error).self) { try await job.run() }
        #expect("\(error.map { "\($0)" } ?? "")".hasPrefix(silent.path))
        try expectNoOutput(directory)
    }

    @Test func silentAudioIsRejected() async throws {
        let directory = try TemporaryDirectory()
        var job = job(directory)
        let silent = directory.url.appendingPathComponent("silent.wav")
        try AudioFile.write(AudioClip(samples: Array(repeating: 0, count: 8000), channels: 1, sampleRate: 16000), to: silent)
        job.audio = silent
        job.output = .video(directory.url.appendingPathComponent("out.mp4"))
        await #expect(throws: AudioError.silent(path: silent.path)) { try await job.run() }
        try expectNoOutput(directory)
    }

    private func le32(_ v: UInt32) -> Data { withUnsafeBytes(of: v.littleEndian) { Data($0) } }
    private func le16(_ v: UInt16) -> Data { withUnsafeBytes(of: v.littleEndian) { Data($0) } }

    @Test func nonSquareFramesNeedACropAndTheCropIsPastedBack() async throws {
        let dubber = try Dubber(
            renderer: Renderer(checkpoint: Fixtures.url("pipeline/stage1.ckpt"), imageSize: 32),
            lipPredictor: LipLatentPredictor(checkpoint: Fixtures.url("pipeline/stage2.ckpt")))
        let folder = try FrameFolder(PipelineParityTests.framesFolder)
        let frames = try (0..<2).map { try folder.image(at: $0) }
        let points = try LandmarksFile.readFolder(PipelineParityTests.landmarksFolder, frames: folder.frameNames)
        // The same faces inside wider frames: 100 columns of gray on the left, 28 on the right.
        let wide = frames.map { frame in
            var canvas = RGBImage(height: 512, width: 640, red: 90, green: 90, blue: 90)
            for y in 0..<512 { for x in 0..<512 { for c in 0..<3 { canvas[y, x + 100, c] = frame[y, x, c] } } }
            return canvas
        }
        // Everything in memory: models, frames, landmarks, features, noise and the sink.
        func request(_ frames: [RGBImage], _ track: LandmarkTrack, region: FaceRegion?, into sink: InMemoryFrameSink)
            throws -> DubbingRequest
        {
            DubbingRequest(
                models: .loaded(dubber), frames: .source(InMemoryFrames(frames)), landmarks: .track(track),
                speech: .features(try Fixtures.tensor("pipeline/hubert.npy")),
                noise: .tensor(try Fixtures.tensor("pipeline/xT.npy")),
                options: DubbingOptions(steps: 2, faceRegion: region, fit: .shortest),
                output: .sink(sink))
        }
        await #expect(throws: DubbingError.nonSquareFrame(index: 0, height: 512, width: 640)) {
            try await request(wide, .perFrame(points), region: nil, into: InMemoryFrameSink()).run()
        }
        let plain = InMemoryFrameSink()
        _ = try await request(frames, .perFrame(points), region: nil, into: plain).run()
        let cropped = InMemoryFrameSink()
        _ = try await request(
            wide, .perFrame(points.map { $0.translated(by: SIMD2(100, 0)) }), region: FaceRegion(x: 100, y: 0, size: 512),
            into: cropped
        ).run()
        #expect(cropped.frames.count == 2)
        for (a, b) in zip(plain.frames, cropped.frames) {
            #expect(b.image.width == 640)
            #expect(b.image.cropped(rows: 0..<512, columns: 100..<612) == a.image)
            #expect(b.image.cropped(rows: 0..<512, columns: 0..<100) == wide[0].cropped(rows: 0..<512, columns: 0..<100))
        }
    }
}
