import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// The library's one entry for a whole dub: checks before any model runs, cancellation,
/// progress, concurrency, persistence and output ownership.
@Suite("Dubbing requests")
struct DubbingRequestTests {
    /// The pipeline fixture request with `steps` steps into `output` (model resolution).
    func request(_ output: URL, steps: Int = 2) -> DubbingRequest {
        var request = PipelineParityTests.job(output: output)
        request.options.steps = steps
        return request
    }

    /// Holds the reports of a run.
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var all: [ProgressReport] = []
        func append(_ report: ProgressReport) { lock.withLock { all.append(report) } }
        var reports: [ProgressReport] { lock.withLock { all } }
    }

    /// Holds the task to cancel from inside its progress handler.
    final class TaskBox: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Task<DubbingSummary, any Error>?
        var task: Task<DubbingSummary, any Error>? {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue } }
        }
    }

    @Test("cancelling after the first frame stops the run and leaves no output")
    func cancellation() async throws {
        let directory = try TemporaryDirectory()
        let output = directory.url.appendingPathComponent("out")
        let reports = Reports()
        let box = TaskBox()
        let request = request(output, steps: 5)
        let task = Task {
            try await request.run { report in
                reports.append(report)
                if report.stage == .rendering, report.completed == 1, report.step == nil { box.task?.cancel() }
                return .proceed
            }
        }
        box.task = task
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(!FileManager.default.fileExists(atPath: output.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
        let rendered = reports.reports.filter { $0.stage == .rendering }.map(\.completed).max() ?? 0
        #expect(rendered >= 1 && rendered <= 2, "rendered \(rendered) of 10 frames after the cancel")
    }

    @Test("a task cancelled before it starts does no work")
    func cancelledBeforeStart() async throws {
        let directory = try TemporaryDirectory()
        let reports = Reports()
        let request = request(directory.url.appendingPathComponent("out"))
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await request.run { reports.append($0); return .proceed }
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(reports.reports.isEmpty)
    }

    @Test("progress comes after every denoising step, with the stage, frame and step")
    func progressPerStep() async throws {
        let directory = try TemporaryDirectory()
        let reports = Reports()
        var request = request(directory.url.appendingPathComponent("out"), steps: 5)
        request.options.frameRange = FrameRange(start: 0, end: 4)
        _ = try await request.run { reports.append($0); return .proceed }
        let stages = reports.reports.map(\.stage)
        #expect(stages.first == .loadingModels)
        #expect(stages.contains(.referenceLatents) && stages.contains(.lipLatents))
        let steps = reports.reports.filter { $0.stage == .rendering && $0.step != nil }
        #expect(steps.count == 4 * 5)
        #expect(steps.map(\.step!) == Array(repeating: Array(1...5), count: 4).flatMap { $0 })
        #expect(steps.allSatisfy { $0.stepCount == 5 && $0.total == 4 })
        let last = try #require(reports.reports.last)
        #expect(last.stage == .rendering && last.completed == 4 && last.estimatedRemaining == 0)
        // Mid-frame reports count the steps done: the ETA falls within a frame.
        let third = steps[2]
        #expect(third.fractionCompleted == 0.6)
    }

    @Test("landmarks that cover fewer frames than are dubbed are refused before any model runs")
    func landmarkCountCheckedFirst() async throws {
        let directory = try TemporaryDirectory()
        let reports = Reports()
        var request = request(directory.url.appendingPathComponent("out"))
        let folder = try FrameFolder(PipelineParityTests.framesFolder)
        let points = try LandmarksFile.readFolder(PipelineParityTests.landmarksFolder, frames: folder.frameNames)
        request.landmarks = .track(.perFrame(Array(points.prefix(5))))
        await #expect(
            throws: DubbingError.landmarkCountMismatch(input: folder.url.path, landmarks: 5, frames: 10)
        ) { try await request.run { reports.append($0); return .proceed } }
        #expect(!reports.reports.contains { $0.stage == .referenceLatents || $0.stage == .rendering })
    }

    @Test("NaN speech features, noise and landmarks are refused naming the input and the first bad index")
    func nonFiniteInputs() async throws {
        let directory = try TemporaryDirectory()
        var request = request(directory.url.appendingPathComponent("out"))
        var hubert = try Fixtures.tensor("pipeline/hubert.npy")
        let flat = 2 * hubert.shape[1] * hubert.shape[2] + 5 * hubert.shape[2] + 7
        hubert.withUnsafeMutableBufferPointer { $0[flat] = .nan }
        let bad = directory.url.appendingPathComponent("bad.npy")
        try NumPyFile.write(hubert, to: bad)
        request.speech = .hubertFeatures(bad)
        let error = await #expect(throws: DubbingError.self) { try await request.run() }
        #expect(error?.description == "\(bad.path): element [2, 5, 7] is nan (NaN or infinite values are refused)")
        #expect(error?.localizedDescription.hasPrefix(bad.path) == true)

        request = self.request(directory.url.appendingPathComponent("out"))
        var noise = try Fixtures.tensor("pipeline/xT.npy")
        noise.withUnsafeMutableBufferPointer { $0[40] = .infinity }
        request.noise = .tensor(noise)
        let noiseError = await #expect(throws: DubbingError.self) { try await request.run() }
        #expect(noiseError?.description == "the noise: element [0, 0, 1, 8] is inf (NaN or infinite values are refused)")

        request = self.request(directory.url.appendingPathComponent("out"))
        let folder = try FrameFolder(PipelineParityTests.framesFolder)
        var points = try LandmarksFile.readFolder(PipelineParityTests.landmarksFolder, frames: folder.frameNames)
        points[4][30] = SIMD2(.nan, 3)
        request.landmarks = .track(.perFrame(points))
        let landmarkError = await #expect(throws: DubbingError.self) { try await request.run() }
        #expect(landmarkError?.description.contains("element [4, 30]") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["bad.npy"])
    }

    @Test("two runs at once, with their own thread counts, give the frames of a run alone")
    func concurrentRuns() async throws {
        func run(threads: Int) async throws -> [RGBImage] {
            let sink = InMemoryFrameSink()
            var request = request(URL(fileURLWithPath: "/unused"))
            request.output = .sink(sink)
            request.options.frameRange = FrameRange(start: 0, end: 3)
            request.compute = ComputeSettings(threads: threads)
            _ = try await request.run()
            return sink.frames.map(\.image)
        }
        let alone = try await run(threads: 2)
        async let one = run(threads: 1)
        async let two = run(threads: 2)
        let (a, b) = try await (one, two)
        #expect(a == alone)
        #expect(b == alone)
        #expect(alone.count == 3)
    }

    @Test("a request of paths and values round-trips through JSON; one holding memory refuses")
    func codable() throws {
        var request = request(URL(fileURLWithPath: "/tmp/out.mp4"))
        request.landmarks = .detect(
            DubbingRequest.FaceDetection(detector: URL(fileURLWithPath: "/m/faceboxesv2.pth"), tracking: FaceTrackingOptions()))
        request.audio = URL(fileURLWithPath: "/tmp/speech.wav")
        request.options.frameRange = FrameRange(start: 3, end: 9)
        request.options.sampler = .dpmpp2m
        request.compute.threads = 1
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(request)
        let decoded = try JSONDecoder().decode(DubbingRequest.self, from: json)
        #expect(try encoder.encode(decoded) == json)
        #expect(decoded.options == request.options && decoded.compute == request.compute)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("\"video\":\"\\/tmp\\/out.mp4\"") || text.contains("\"video\":\"/tmp/out.mp4\""))

        request.output = .sink(InMemoryFrameSink())
        #expect(throws: DubbingRequestError.notEncodable(part: "output sink")) { try encoder.encode(request) }
    }

    @Test("an earlier output folder is replaced as a whole with overwrite, and only when complete")
    func outputFolderIsReplaced() async throws {
        let directory = try TemporaryDirectory()
        let output = directory.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: output.appendingPathComponent("999999.png"))
        try OutputGuard.markAsOutput(output)
        var request = request(output)
        request.overwrite = true
        request.options.frameRange = FrameRange(start: 0, end: 2)
        request.options.steps = 37  // refused: the old folder stays as it was
        await #expect(throws: DiffusionError.self) { try await request.run() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == [OutputGuard.markerName, "999999.png"])
        request.options.steps = 2
        _ = try await request.run()
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
                == [OutputGuard.markerName, "000000.png", "000001.png"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["out"])
    }

    @Test("a sink the caller drops after a finished run keeps its output")
    func finishedSinkOutlivesItsObject() throws {
        let directory = try TemporaryDirectory()
        let output = directory.url.appendingPathComponent("frames")
        do {
            let sink = try PNGFolderSink(output)
            try sink.write(RGBImage(height: 4, width: 4, red: 9), index: 0)
            try sink.finish()
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == [OutputGuard.markerName, "000000.png"])
        do {
            let unfinished = try PNGFolderSink(directory.url.appendingPathComponent("other"))
            try unfinished.write(RGBImage(height: 4, width: 4, red: 9), index: 0)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["frames"])
    }
}
