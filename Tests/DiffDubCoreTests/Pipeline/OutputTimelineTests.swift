@testable import DiffDubCore
import Foundation
import Testing

/// The output timeline: lengths for each fit and rate, ping-pong source frames, interpolated
/// lip latents.
@Suite("Output timeline")
struct OutputTimelineTests {
    static func rate(_ n: Int, _ d: Int = 1) -> FrameRate { FrameRate(numerator: n, denominator: d)! }

    @Test("5 s at 25 fps with 7 s of speech: 175 frames (speech), 125 (shortest)")
    func issueCounts() throws {
        let speech = try OutputTimeline(latentCount: 175, sourceFrameCount: 125)
        #expect(speech.frameCount == 175)
        #expect(speech.frameRate == .model)
        #expect(abs(speech.duration - 7) < 1e-12)
        #expect(speech.revisitsSourceFrames)
        #expect(!speech.cutsSpeech)
        let shortest = try OutputTimeline(latentCount: 175, sourceFrameCount: 125, fit: .shortest)
        #expect(shortest.frameCount == 125)
        #expect(shortest.cutsSpeech)
        #expect((0..<125).allSatisfy { shortest.sourceFrame(forOutput: $0) == $0 })
        // Speech shorter than the video: both fits end with the speech.
        #expect(try OutputTimeline(latentCount: 50, sourceFrameCount: 125).frameCount == 50)
        #expect(try OutputTimeline(latentCount: 50, sourceFrameCount: 125, fit: .shortest).frameCount == 50)
    }

    @Test("30 fps, 5 s, source rate, shortest, enough speech: all 150 frames at 30/1")
    func sourceRateCounts() throws {
        let thirty = Self.rate(30)
        let timeline = try OutputTimeline(latentCount: 180, sourceFrameCount: 150, fit: .shortest, frameRate: .source(thirty))
        #expect(timeline.frameCount == 150)
        #expect(timeline.frameRate.description == "30/1")
        // Speech of 7 s: floor(175 * 30 / 25) = 210 frames by default, 150 with shortest.
        #expect(try OutputTimeline(latentCount: 175, sourceFrameCount: 150, frameRate: .source(thirty)).frameCount == 210)
        #expect(
            try OutputTimeline(latentCount: 175, sourceFrameCount: 150, fit: .shortest, frameRate: .source(thirty)).frameCount
                == 150)
        // Speech of 4 s: shortest is the speech's 120 frames.
        #expect(
            try OutputTimeline(latentCount: 100, sourceFrameCount: 150, fit: .shortest, frameRate: .source(thirty)).frameCount
                == 120)
        // NTSC: 125 latents (5 s) at 30000/1001 cover floor(149.85) = 149 frames.
        let ntsc = Self.rate(30000, 1001)
        #expect(try OutputTimeline(latentCount: 125, sourceFrameCount: 150, frameRate: .source(ntsc)).frameCount == 149)
    }

    @Test("ping-pong: forward, backward, forward again; one frame stays")
    func pingPong() throws {
        #expect((0..<12).map { OutputTimeline.pingPong($0, count: 4) } == [0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1])
        #expect((0..<5).map { OutputTimeline.pingPong($0, count: 2) } == [0, 1, 0, 1, 0])
        #expect((0..<4).map { OutputTimeline.pingPong($0, count: 1) } == [0, 0, 0, 0])
        let timeline = try OutputTimeline(latentCount: 10, sourceFrameCount: 3)
        #expect((0..<10).map(timeline.sourceFrame(forOutput:)) == [0, 1, 2, 1, 0, 1, 2, 1, 0, 1])
        // A one-frame video lasts as long as the speech, always frame 0.
        let single = try OutputTimeline(latentCount: 7, sourceFrameCount: 1)
        #expect(single.frameCount == 7)
        #expect((0..<7).allSatisfy { single.sourceFrame(forOutput: $0) == 0 })
        #expect(try OutputTimeline(latentCount: 7, sourceFrameCount: 1, fit: .shortest).frameCount == 1)
    }

    @Test("a still image lasts as long as the speech in both fits")
    func still() throws {
        for fit in TimelineFit.allCases {
            let timeline = try OutputTimeline(latentCount: 42, sourceFrameCount: nil, fit: fit)
            #expect(timeline.frameCount == 42)
            #expect(timeline.sourceFrame(forOutput: 41) == 0)
            #expect(!timeline.revisitsSourceFrames && !timeline.cutsSpeech)
        }
    }

    @Test("speech shorter than one output frame still gives one frame; no speech or frames is an error")
    func edges() throws {
        let slow = try OutputTimeline(latentCount: 1, sourceFrameCount: 10, frameRate: .source(Self.rate(10)))
        #expect(slow.frameCount == 1)
        #expect(slow.latentPosition(forOutput: 0) == LatentPosition(lower: 0, upper: 0, weight: 0))
        #expect(try OutputTimeline(latentCount: 1, sourceFrameCount: 10).frameCount == 1)
        #expect(throws: TimelineError.noSpeech) { try OutputTimeline(latentCount: 0, sourceFrameCount: 10) }
        #expect(throws: TimelineError.noFrames) { try OutputTimeline(latentCount: 5, sourceFrameCount: 0) }
        #expect(TimelineError.noSpeech.errorDescription?.contains("lip latents") == true)
    }

    @Test("latent positions: exact at 25 fps, t = i * 25 / fps otherwise, clamped at the end")
    func positions() throws {
        let model = try OutputTimeline(latentCount: 5, sourceFrameCount: 2)
        #expect((0..<5).map { model.latentPosition(forOutput: $0).lower } == [0, 1, 2, 3, 4])
        #expect((0..<5).allSatisfy { model.latentPosition(forOutput: $0).weight == 0 })
        let thirty = try OutputTimeline(latentCount: 5, sourceFrameCount: 100, frameRate: .source(Self.rate(30)))
        #expect(thirty.frameCount == 6)
        // t = 0, 5/6, 5/3, 5/2, 10/3, 25/6.
        let p1 = thirty.latentPosition(forOutput: 1)
        #expect(p1.lower == 0 && p1.upper == 1 && abs(p1.weight - 5.0 / 6) < 1e-6)
        let p3 = thirty.latentPosition(forOutput: 3)
        #expect(p3.lower == 2 && p3.upper == 3 && abs(p3.weight - 0.5) < 1e-6)
        // t = 25/6 = 4.17 is past the last row (4): clamped.
        #expect(thirty.latentPosition(forOutput: 5) == LatentPosition(lower: 4, upper: 4, weight: 0))
        // 12.5 fps: every other latent.
        let half = try OutputTimeline(latentCount: 6, sourceFrameCount: 3, frameRate: .source(Self.rate(25, 2)))
        #expect(half.frameCount == 3)
        #expect((0..<3).map { half.latentPosition(forOutput: $0).lower } == [0, 2, 4])
    }

    @Test("interpolated latent rows")
    func interpolation() throws {
        // Rows [k, 10k + 1] for k = 0..<5.
        let latents = Tensor(shape: [5, 2], scalars: (0..<5).flatMap { [Float($0), Float(10 * $0 + 1)] })
        let thirty = try OutputTimeline(latentCount: 5, sourceFrameCount: 100, frameRate: .source(Self.rate(30)))
        let rows = thirty.latents(latents, forOutputs: 0..<6)
        #expect(rows.shape == [6, 2])
        let expected: [Float] = [0, 5.0 / 6, 5.0 / 3, 2.5, 10.0 / 3, 4]
        for (i, t) in expected.enumerated() {
            #expect(abs(rows[i, 0] - t) < 1e-5)
            #expect(abs(rows[i, 1] - (10 * t + 1)) < 1e-4)
        }
        let one = thirty.latent(latents, forOutput: 3)
        #expect(one.shape == [1, 2] && abs(one[0, 0] - 2.5) < 1e-6)
        // At the model rate the rows are copied exactly.
        let model = try OutputTimeline(latentCount: 5, sourceFrameCount: 5)
        #expect(model.latents(latents, forOutputs: 0..<5).scalars == latents.scalars)
        #expect(model.latents(latents, forOutputs: 2..<2).shape == [0, 2])
    }

    @Test("frame rates: reduced fractions, parsing, NTSC from a float")
    func frameRates() throws {
        #expect(FrameRate(numerator: 60, denominator: 2) == Self.rate(30))
        #expect(FrameRate(parsing: "30000/1001") == Self.rate(30000, 1001))
        #expect(FrameRate(parsing: "25") == .model)
        #expect(FrameRate(parsing: "0/0") == nil)
        #expect(FrameRate(parsing: "-25/1") == nil)
        #expect(FrameRate(parsing: "abc") == nil)
        #expect(FrameRate(fps: 29.97002997) == Self.rate(30000, 1001))
        #expect(FrameRate(fps: 24) == Self.rate(24))
        #expect(FrameRate(fps: .nan) == nil)
        let data = try JSONEncoder().encode(Self.rate(30000, 1001))
        #expect(try JSONDecoder().decode(FrameRate.self, from: data) == Self.rate(30000, 1001))
        let bad = Data(#"{"numerator":0,"denominator":1}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(FrameRate.self, from: bad) }
    }
}

/// Input frames read in a plan's order (``PlannedFrameReader``): forward streams, backward reads
/// the spool.
@Suite("Planned frame reader")
struct PlannedFrameReaderTests {
    static func frames(_ count: Int) -> [RGBImage] {
        (0..<count).map { RGBImage(height: 3, width: 5, red: UInt8($0), green: 7, blue: UInt8(200 - $0)) }
    }

    static func read(_ source: any FrameSource, _ order: [Int]) throws -> [Int] {
        let reader = try PlannedFrameReader(source: source, sources: order)
        return try order.map { _ in Int(try reader.next().pixels[0]) }
    }

    static func spools() -> Set<String> {
        Set(
            ((try? FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)) ?? [])
                .filter { $0.hasPrefix(".diffdub-frames-") })
    }

    @Test("a ping-pong timeline, also from the middle of a backward pass; the spool is removed")
    func pingPong() throws {
        let source = InMemoryFrames(Self.frames(4))
        let timeline = try OutputTimeline(latentCount: 11, sourceFrameCount: 4)
        let order = (0..<timeline.frameCount).map { timeline.sourceFrame(forOutput: $0) }
        #expect(order == [0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2])
        let before = Self.spools()
        #expect(try Self.read(source, order) == order)
        #expect(try Self.read(source, Array(order[5...])) == [1, 0, 1, 2, 3, 2])
        #expect(Self.spools() == before)
    }

    @Test("forward orders stream with skips; a still repeats; a short source names the frame")
    func forward() throws {
        let source = InMemoryFrames(Self.frames(6))
        #expect(try Self.read(source, [0, 1, 2, 3, 4, 5]) == [0, 1, 2, 3, 4, 5])
        #expect(try Self.read(source, [2, 2, 5]) == [2, 2, 5])
        #expect(try Self.read(StillFrame(Self.frames(1)[0]), [0, 0, 0]) == [0, 0, 0])
        #expect(throws: DubbingError.missingFrame(input: "frames", frame: 7, frames: 6)) {
            try Self.read(source, [5, 7])
        }
        var sizes = Self.frames(3)
        sizes[2] = RGBImage(height: 4, width: 5)
        #expect(throws: DubbingError.frameSizeChanged(index: 2, expected: "5x3", found: "5x4")) {
            try Self.read(InMemoryFrames(sizes), [0, 1, 2])
        }
    }
}
