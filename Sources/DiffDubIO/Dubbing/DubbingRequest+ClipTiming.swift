import DiffDubCore
import Foundation

extension DubbingRequest {
    /// Checks a video's real timing against ``DubbingOptions/timingLimits`` before its frames
    /// are counted or converted (a clip at 0.001 fps, or with an hour-long gap, read at 25 fps
    /// would give hundreds of thousands of frames), and its decoding errors against
    /// ``DubbingOptions/strict``.
    ///
    /// - Returns: the warnings of the check (damaged frames).
    /// - Throws: ``TimelineError/clipTooStretched(input:reason:)``,
    ///   ``DubbingError/damagedFrames(input:damagedFrames:frames:)`` in strict mode, and
    ///   ``VideoError`` when ffmpeg fails.
    func checkTiming(of video: VideoFileSource) throws -> [String] {
        let timing = try VideoProbe.timing(video.url)
        try options.timingLimits.check(
            timing, input: video.name, rate: video.rate, followsSource: options.frameRate == .source)
        guard timing.damagedFrames > 0 else { return [] }
        if options.strict {
            throw DubbingError.damagedFrames(
                input: video.name, damagedFrames: timing.damagedFrames, frames: timing.frameCount)
        }
        return [
            "\(video.name): \(timing.damagedFrames) of \(timing.frameCount) frames were decoded with errors (damaged video): they are dubbed as decoded"
        ]
    }
}
