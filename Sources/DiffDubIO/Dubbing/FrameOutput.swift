import DiffDubCore
import Foundation

/// A frame sink whose output appears only when committed.
public protocol CommittableFrameSink: FrameSink {
    /// Finishes the output and moves it into place.
    func commit() throws
    /// Abandons the output, removing anything partial.
    func cancel()
}

extension PNGFolderSink: CommittableFrameSink {}
extension VideoFileSink: CommittableFrameSink {}

/// Where output frames go: a video file (by extension) or a folder of PNG frames.
public enum FrameOutput {
    /// Extensions written as video through ffmpeg.
    public static let videoExtensions: Set<String> = ["mp4", "mov", "mkv", "m4v"]

    /// Whether `url` names a video file rather than a frame folder.
    public static func isVideo(_ url: URL) -> Bool {
        videoExtensions.contains(url.pathExtension.lowercased())
    }

    /// Opens the sink for `url`, runs `body` with it, and commits; on any error the partial
    /// output is removed and the error rethrown.
    public static func writing<Result>(
        to url: URL, audio: URL?, _ body: (any FrameSink) throws -> Result
    ) throws -> Result {
        let sink: any CommittableFrameSink = isVideo(url) ? try VideoFileSink(url, audio: audio) : try PNGFolderSink(url)
        do {
            let result = try body(sink)
            try sink.commit()
            return result
        } catch {
            sink.cancel()
            throw error
        }
    }
}
