import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// Dubbing videos whose timing or decoding is wrong, and frame ranges past the output: each
/// refused in one line before any frame is written, or dubbed with a warning (issue 29).
@Suite("Dubbing: clip timing, damaged video, frame ranges", .serialized)
struct ClipTimingDubbingTests {
    /// The fixture dub (PipelineParityTests) reading `video`, writing `output`.
    static func job(video: URL, output: URL) -> DubbingRequest {
        var job = PipelineParityTests.job(output: output)
        job.frames = .video(video)
        job.options.steps = 2
        job.options.frameRange = FrameRange(start: 0, end: 2)
        return job
    }

    static func expectNothingWritten(_ folder: URL, keeping inputs: Set<String>) throws {
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !inputs.contains($0) }
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test("a clip at 0.001 fps is refused at 25 fps in one line, and dubbed at its own rate")
    func tinyRate() async throws {
        let folder = try TemporaryDirectory()
        let slow = try StreamTimingTests.clip("slow.mp4", in: folder.url, rate: "1/1000")
        var job = Self.job(video: slow, output: folder.url.appendingPathComponent("out"))
        do {
            _ = try await job.run()
            Issue.record("expected a refusal")
        } catch let error as TimelineError {
            #expect(error.description.hasPrefix(slow.path + ": 1000.000 s pass between two of its frames"))
            #expect(!error.description.contains("\n"))
        }
        try Self.expectNothingWritten(folder.url, keeping: ["slow.mp4"])
        job.options.frameRate = .source
        job.options.frameRange = FrameRange()
        let summary = try await job.run()
        #expect(summary.renderedFrames == 0..<1, "the speech lasts less than one frame at 0.001 fps")
    }

    @Test("a clip with a 4,000 s gap is refused at 25 fps")
    func gap() async throws {
        let folder = try TemporaryDirectory()
        let gap = try StreamTimingTests.clip("gap.mp4", in: folder.url, filter: "setpts=PTS+if(gte(N\\,5)\\,4000/TB\\,0)")
        let job = Self.job(video: gap, output: folder.url.appendingPathComponent("out"))
        await #expect(throws: TimelineError.self) { try await job.run() }
        try Self.expectNothingWritten(folder.url, keeping: ["gap.mp4"])
    }

    @Test("a damaged clip is dubbed with a warning counting its damaged frames, and refused when strict")
    func damaged() async throws {
        let folder = try TemporaryDirectory()
        let clean = try StreamTimingTests.clip("clean.mp4", in: folder.url)
        let damaged = try StreamTimingTests.damaged(clean, as: "damaged.mp4")
        let expected = try VideoProbe.timing(damaged)
        try #require(expected.damagedFrames > 0)
        var job = Self.job(video: damaged, output: folder.url.appendingPathComponent("out"))
        job.options.strict = true
        await #expect(
            throws: DubbingError.damagedFrames(
                input: damaged.path, damagedFrames: expected.damagedFrames, frames: expected.frameCount)
        ) { try await job.run() }
        try Self.expectNothingWritten(folder.url, keeping: ["clean.mp4", "damaged.mp4"])
        job.options.strict = false
        let summary = try await job.run()
        let warning = "\(damaged.path): \(expected.damagedFrames) of \(expected.frameCount) frames were decoded with errors"
        #expect(summary.warnings.contains { $0.hasPrefix(warning) }, "\(summary.warnings)")
        let cleanSummary = try await Self.job(video: clean, output: folder.url.appendingPathComponent("clean-out")).run()
        #expect(!cleanSummary.warnings.contains { $0.contains("decoded with errors") })
    }

    @Test("--frame-range past the output is refused for a video, a frame folder and raw frames, before any is written")
    func frameRangePastTheEnd() async throws {
        let folder = try TemporaryDirectory()
        for (name, raw) in [("out.mp4", false), ("frames", false), ("raw", true)] {
            var job = PipelineParityTests.job(output: folder.url.appendingPathComponent(name))
            job.options.raw = raw
            job.options.steps = 2
            job.options.fit = .shortest
            job.options.frameRange = FrameRange(start: 13, end: 20)
            await #expect(throws: DubbingError.frameRangeOutsideOutput(range: FrameRange(start: 13, end: 20), frames: 10)) {
                try await job.run()
            }
            job.options.frameRange = FrameRange(start: 10)
            await #expect(throws: DubbingError.frameRangeOutsideOutput(range: FrameRange(start: 10), frames: 10)) {
                try await job.run()
            }
        }
        try Self.expectNothingWritten(folder.url, keeping: [])
    }

    @Test("a reference frame past the clip is refused before any model runs on frames")
    func referenceFramePastTheClip() async throws {
        let folder = try TemporaryDirectory()
        var job = PipelineParityTests.job(output: folder.url.appendingPathComponent("out"))
        job.options.referenceFrame = 12
        await #expect(throws: DubbingError.referenceFrameOutOfRange(index: 12, frames: 10)) { try await job.run() }
        job.options.referenceFrame = .max
        await #expect(throws: DubbingError.self) { try await job.run() }
        try Self.expectNothingWritten(folder.url, keeping: [])
    }
}
