import Foundation

/// What can go wrong decoding, encoding or probing media with ffmpeg.
package enum VideoError: LocalizedError, CustomStringConvertible, Equatable {
    /// `ffmpeg` or `ffprobe` is not on `PATH`.
    case toolNotFound(tool: String)
    /// The tool could not be started.
    case launchFailed(tool: String, reason: String)
    /// `ffprobe` cannot read the file (missing, not a media file).
    case probeFailed(path: String, reason: String)
    /// The file has no video stream.
    case noVideoStream(path: String)
    /// Decoding stopped with an error (`reason` is ffmpeg's message).
    case decodeFailed(path: String, reason: String)
    /// Encoding failed (`reason` is ffmpeg's message); nothing was left at `path`.
    case encodeFailed(path: String, reason: String)
    /// A frame given to a writer does not have the size the writer was opened with.
    case frameSizeMismatch(path: String, expected: String, found: String)
    /// The writer was already finished or cancelled.
    case writerClosed(path: String)

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// A one-line explanation naming the file.
    package var description: String {
        switch self {
        case .toolNotFound(let tool):
            "\(tool) not found on PATH: video and audio conversion need it (Debian/Ubuntu: apt-get install ffmpeg)"
        case .launchFailed(let tool, let reason): "cannot start \(tool): \(reason)"
        case .probeFailed(let path, let reason): "\(path): cannot read media: \(reason)"
        case .noVideoStream(let path): "\(path): no video stream"
        case .decodeFailed(let path, let reason): "\(path): decoding failed: \(reason)"
        case .encodeFailed(let path, let reason): "\(path): encoding failed: \(reason)"
        case .frameSizeMismatch(let path, let expected, let found):
            "\(path): frame is \(found), the video is \(expected)"
        case .writerClosed(let path): "\(path): the video writer is already closed"
        }
    }
}
