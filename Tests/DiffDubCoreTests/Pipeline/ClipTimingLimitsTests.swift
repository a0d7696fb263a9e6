@testable import DiffDubCore
import Foundation
import Testing

/// A clip's real timing against the limits: a tiny rate, a long gap, too many frames, and the
/// source rate (issue 29: a 10-frame clip at 0.001 fps ran for ever at 25 fps).
@Suite("Clip timing limits")
struct ClipTimingLimitsTests {
    static let model = FrameRate.model

    /// `count` frames `step` seconds apart from `start`.
    static func frames(_ count: Int, step: Double, start: Double = 0) -> [Double] {
        (0..<count).map { start + Double($0) * step }
    }

    static func reason(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch TimelineError.clipTooStretched(_, let reason) {
            return reason
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test("timing: span, gaps and frames at a rate")
    func timing() {
        let timing = StreamTiming(timestamps: [0.08, 0, 0.04, 4000.12, 4000.16])
        #expect(timing.timestamps == [0, 0.04, 0.08, 4000.12, 4000.16])
        #expect(abs(timing.longestGap - 4000.04) < 1e-9 && abs(timing.longestGapStart - 0.08) < 1e-9)
        #expect(abs(timing.typicalGap - 0.04) < 1e-9)
        #expect(abs(timing.span - 4000.2) < 1e-9)
        #expect(timing.framesAt(Self.model) == 100_005)
        let even = StreamTiming(timestamps: Self.frames(125, step: 0.04))
        #expect(even.framesAt(Self.model) == 125)
        #expect(StreamTiming(timestamps: [3]).framesAt(Self.model) == 1)
        #expect(StreamTiming(timestamps: []).framesAt(Self.model) == 0)
    }

    @Test("a 10-frame clip at 0.001 fps is refused at 25 fps, read as it is at its own rate")
    func tinyRate() throws {
        let slow = StreamTiming(timestamps: Self.frames(10, step: 1000))
        let limits = ClipTimingLimits()
        let reason = try #require(Self.reason { try limits.check(slow, input: "slow.mp4", rate: Self.model, followsSource: false) })
        #expect(reason.contains("1000.000 s pass between two of its frames") && reason.contains("at most 10 s"))
        #expect(reason.hasSuffix(ClipTimingLimits.sourceRateHint))
        // Without the gap bound, the frames per source frame refuse it too.
        var ratioOnly = limits
        ratioOnly.maximumGap = 1e9
        let perFrame = try #require(Self.reason { try ratioOnly.check(slow, input: "slow.mp4", rate: Self.model, followsSource: false) })
        #expect(perFrame.contains("more than 250 per source frame"), "\(perFrame)")
        // At its own rate each frame is read once.
        try limits.check(slow, input: "slow.mp4", rate: FrameRate(numerator: 1, denominator: 1000)!, followsSource: true)
    }

    @Test("a 4,000 s gap in a clip at 25 fps is refused; at a rate the timestamps belie, so is the source rate")
    func gap() throws {
        let gap = StreamTiming(timestamps: Self.frames(5, step: 0.04) + Self.frames(5, step: 0.04, start: 4000.2))
        let limits = ClipTimingLimits()
        let reason = try #require(Self.reason { try limits.check(gap, input: "gap.mp4", rate: Self.model, followsSource: false) })
        #expect(reason.contains("4000.040 s pass between two of its frames at 0.160 s"))
        // ffprobe states 25/1 for such a clip: following it would still give 100,000 frames.
        let source = try #require(Self.reason { try limits.check(gap, input: "gap.mp4", rate: Self.model, followsSource: true) })
        #expect(source.contains("per source frame") && !source.contains("DubbingOptions.frameRate"))
    }

    @Test("the total: four hours at 25 fps pass, more do not, at any rate")
    func total() throws {
        let limits = ClipTimingLimits()
        let fourHours = StreamTiming(timestamps: Self.frames(360_000, step: 0.04))
        try limits.check(fourHours, input: "long.mp4", rate: Self.model, followsSource: false)
        let reason = try #require(Self.reason { try limits.check(fourHours, input: "long.mp4", rate: FrameRate(numerator: 30)!, followsSource: false) })
        #expect(reason.contains("432000 frames (at most 360000)"), "\(reason)")
        // Steady 2 fps (12.5 frames per source frame, 0.5 s gaps) is fine.
        try limits.check(StreamTiming(timestamps: Self.frames(100, step: 0.5)), input: "slides.mp4", rate: Self.model, followsSource: false)
    }

    @Test("non-finite timestamps and a clip without timestamps")
    func degenerate() throws {
        let limits = ClipTimingLimits()
        try limits.check(StreamTiming(timestamps: []), input: "x", rate: Self.model, followsSource: false)
        #expect(Self.reason { try limits.check(StreamTiming(timestamps: [0, .infinity]), input: "x", rate: Self.model, followsSource: false) } != nil)
        #expect(Self.reason { try limits.check(StreamTiming(timestamps: [0, 1e300]), input: "x", rate: Self.model, followsSource: true) } != nil)
    }

    @Test("the refusal names the input, in one line")
    func message() {
        let error = TimelineError.clipTooStretched(input: "clip.mp4", reason: "why")
        #expect(error.description == "clip.mp4: why" && error.localizedDescription == error.description)
    }
}
