import Foundation

/// Bounds on how a clip's timing may stretch a dub, so that a clip with a tiny frame rate or
/// a long gap between two timestamps is refused in one line instead of making hundreds of
/// thousands of frames (see Docs/RELIABILITY.md).
///
/// A video read at 25 fps repeats each source frame for as long as it is shown: a 10-frame
/// clip at 0.001 fps lasts 10,000 s and would give 250,000 frames, each run through face
/// detection. The limits are checked from the stream's real timestamps
/// (`StreamTiming`) before any frame is converted, and the output timeline's length against
/// `maximumFrames` before any model runs.
public struct ClipTimingLimits: Sendable, Hashable, Codable {
    /// Most frames of the clip read at the output rate, and most output frames (default
    /// 360,000: four hours at 25 fps).
    package var maximumFrames: Int
    /// Most frames read at the output rate per decoded source frame, on average over the clip
    /// (default 250: a source frame shown for 10 s at 25 fps). At the source's own rate
    /// (``DubbingOptions/FrameRateChoice/source``) the ratio is about 1, unless the stated
    /// average rate belies the timestamps.
    package var maximumFramesPerSourceFrame: Int
    /// Longest time in seconds between two consecutive frames of the source (default 10).
    /// Not checked with ``DubbingOptions/FrameRateChoice/source``.
    package var maximumGap: Double

    /// The end of a refusal that reading at the source's own rate avoids.
    package static let sourceRateHint = "; dubbing at the clip's own rate (DubbingOptions.frameRate .source) follows its timing"

    /// The default limits.
    public static let standard = ClipTimingLimits()

    /// Limits with the given values (the defaults are ``standard``'s).
    public init(maximumFrames: Int = 360_000, maximumFramesPerSourceFrame: Int = 250, maximumGap: Double = 10) {
        self.maximumFrames = maximumFrames
        self.maximumFramesPerSourceFrame = maximumFramesPerSourceFrame
        self.maximumGap = maximumGap
    }

    private enum CodingKeys: String, CodingKey { case maximumFrames, maximumFramesPerSourceFrame, maximumGap }

    /// Reads limits; absent keys keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ClipTimingLimits()
        self.init(
            maximumFrames: try c.decodeIfPresent(Int.self, forKey: .maximumFrames) ?? defaults.maximumFrames,
            maximumFramesPerSourceFrame: try c.decodeIfPresent(Int.self, forKey: .maximumFramesPerSourceFrame)
                ?? defaults.maximumFramesPerSourceFrame,
            maximumGap: try c.decodeIfPresent(Double.self, forKey: .maximumGap) ?? defaults.maximumGap)
    }

    /// Checks the limits themselves: positive, and the gap finite.
    ///
    /// - Throws: ``DubbingError/invalidOption(name:value:reason:)`` naming the limit.
    package func validate() throws {
        guard maximumFrames >= 1 else {
            throw DubbingError.invalidOption(
                name: "timingLimits.maximumFrames", value: "\(maximumFrames)", reason: "must be at least 1")
        }
        guard maximumFramesPerSourceFrame >= 1 else {
            throw DubbingError.invalidOption(
                name: "timingLimits.maximumFramesPerSourceFrame", value: "\(maximumFramesPerSourceFrame)",
                reason: "must be at least 1")
        }
        guard maximumGap.isFinite, maximumGap > 0 else {
            throw DubbingError.invalidOption(
                name: "timingLimits.maximumGap", value: "\(maximumGap)", reason: "must be a positive number of seconds")
        }
    }

    /// Checks a clip whose frames are read at `rate`: the frames it gives per source frame and
    /// in all and, when the rate resamples it (`followsSource` false), its longest gap.
    ///
    /// - Throws: ``TimelineError/clipTooStretched(input:reason:)`` naming the bound exceeded.
    package func check(_ timing: StreamTiming, input: String, rate: FrameRate, followsSource: Bool) throws {
        guard timing.frameCount > 0 else { return }
        let resampled = timing.framesAt(rate)
        guard resampled.isFinite else {
            throw TimelineError.clipTooStretched(input: input, reason: "its timestamps are not finite")
        }
        let hint = followsSource ? "" : Self.sourceRateHint
        if !followsSource, timing.longestGap > maximumGap {
            throw TimelineError.clipTooStretched(
                input: input,
                reason: String(
                    format: "%.3f s pass between two of its frames at %.3f s (at most %g s)%@",
                    timing.longestGap, timing.longestGapStart, maximumGap, hint))
        }
        if resampled > Double(timing.frameCount) * Double(maximumFramesPerSourceFrame) {
            throw TimelineError.clipTooStretched(
                input: input,
                reason: String(
                    format: "its %d frames span %.3f s, which at %@ fps makes %.0f frames, more than %d per source frame%@",
                    timing.frameCount, timing.span, rate.description, resampled, maximumFramesPerSourceFrame, hint))
        }
        if resampled > Double(maximumFrames) {
            throw TimelineError.clipTooStretched(
                input: input,
                reason: String(
                    format: "it spans %.3f s, which at %@ fps makes %.0f frames (at most %d)",
                    timing.span, rate.description, resampled, maximumFrames))
        }
    }
}
