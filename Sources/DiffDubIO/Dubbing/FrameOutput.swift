import DiffDubCore
import Foundation

/// Where output frames go: a video file (by extension) or a folder of PNG frames.
package enum FrameOutput {
    /// Extensions written as video through ffmpeg.
    package static let videoExtensions: Set<String> = ["mp4", "mov", "mkv", "m4v"]

    /// Whether `url` names a video file rather than a frame folder.
    package static func isVideo(_ url: URL) -> Bool {
        videoExtensions.contains(url.pathExtension.lowercased())
    }

    /// The sink for `url`: ``VideoFileSink`` for a video extension, ``PNGFolderSink`` otherwise;
    /// `outputGuard` decides what it may replace.
    ///
    /// - Throws: ``OutputRefusal`` when `url` may not be written, the sinks' errors.
    package static func sink(for url: URL, audio: URL?, outputGuard: OutputGuard = OutputGuard()) throws -> any FrameSink {
        isVideo(url)
            ? try VideoFileSink(url, audio: audio, outputGuard: outputGuard)
            : try PNGFolderSink(url, outputGuard: outputGuard)
    }

    /// Runs `body` with `sink` and finishes it; on any error (or cancellation) the sink
    /// discards its partial output and the error is rethrown.
    package static func writing<Result>(to sink: any FrameSink, _ body: (any FrameSink) throws -> Result) throws -> Result {
        do {
            let result = try body(sink)
            try sink.finish()
            return result
        } catch {
            sink.discard()
            throw error
        }
    }

    /// ``writing(to:_:)`` with the sink for `url` (``sink(for:audio:outputGuard:)``).
    package static func writing<Result>(
        to url: URL, audio: URL?, outputGuard: OutputGuard = OutputGuard(), _ body: (any FrameSink) throws -> Result
    ) throws -> Result {
        try writing(to: sink(for: url, audio: audio, outputGuard: outputGuard), body)
    }
}
