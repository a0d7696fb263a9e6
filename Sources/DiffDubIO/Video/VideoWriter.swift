import DiffDubCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Encodes RGB frames to an MP4 (H.264 `libx264`, `yuv420p`) through `ffmpeg`, optionally
/// muxed with an audio file encoded as AAC, as the original's moviepy export does.
///
/// Frames are streamed to ffmpeg's standard input as raw RGB24
/// (`ffmpeg -f rawvideo -pix_fmt rgb24 -s WxH -r N/D -i - [-i audio] ... -c:v libx264
/// -pix_fmt yuv420p [-c:a aac -af apad -shortest]`). The audio is cut to the video's length or
/// padded with silence up to it. Odd sizes get one black column/row of padding (yuv420p needs
/// even sizes). The file is written under a temporary name in the destination folder and
/// renamed by ``finish()``; on failure or ``cancel()`` nothing is left.
///
/// Creating a writer makes the process ignore `SIGPIPE`, so that an ffmpeg that dies
/// mid-stream gives an error instead of killing the program.
package final class VideoWriter {
    /// The destination.
    package let url: URL
    /// Frame width.
    package let width: Int
    /// Frame height.
    package let height: Int
    /// Frames per second, exact (`25/1`, `30000/1001`).
    package let rate: FrameRate
    /// Frames per second rounded to an integer.
    package var frameRate: Int { Int(rate.framesPerSecond.rounded()) }
    /// Frames written so far.
    package private(set) var framesWritten = 0

    private let temporary: URL
    private let tool: RunningTool
    private var closed = false

    /// Starts ffmpeg for a `width x height` video at `frameRate` fps, muxing `audio` (any
    /// format ffmpeg reads) if given. `quality` is x264's CRF (lower is better; 18 is visually
    /// lossless).
    ///
    /// - Throws: ``VideoError/toolNotFound(tool:)`` when ffmpeg is missing.
    package convenience init(
        _ url: URL, width: Int, height: Int, frameRate: Int = 25, audio: URL? = nil, quality: Int = 18
    ) throws {
        guard let rate = FrameRate(numerator: frameRate) else {
            preconditionFailure("VideoWriter: \(width)x\(height) at \(frameRate) fps")
        }
        try self.init(url, width: width, height: height, rate: rate, audio: audio, quality: quality)
    }

    /// Starts ffmpeg for a `width x height` video at the exact `rate` (such as the source's
    /// `30000/1001`), muxing `audio` if given; `quality` is x264's CRF.
    ///
    /// - Throws: ``VideoError/toolNotFound(tool:)`` when ffmpeg is missing.
    package init(_ url: URL, width: Int, height: Int, rate: FrameRate, audio: URL? = nil, quality: Int = 18) throws {
        precondition(width > 0 && height > 0, "VideoWriter: \(width)x\(height) at \(rate) fps")
        signal(SIGPIPE, SIG_IGN)
        self.url = url
        self.width = width
        self.height = height
        self.rate = rate
        temporary = AtomicFile.temporaryURL(for: url)
        var arguments = [
            "-v", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)", "-r", "\(rate)", "-i", "-",
        ]
        if let audio { arguments += ["-i", audio.path] }
        arguments += ["-map", "0:v:0"]
        if audio != nil { arguments += ["-map", "1:a:0"] }
        if width % 2 != 0 || height % 2 != 0 { arguments += ["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2"] }
        arguments += ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "\(quality)", "-preset", "medium"]
        if audio != nil { arguments += ["-c:a", "aac", "-b:a", "128k", "-af", "apad", "-shortest"] }
        arguments += ["-movflags", "+faststart", "-f", "mp4", temporary.path]
        tool = try RunningTool("ffmpeg", arguments, input: true, output: false)
    }

    /// Sends one frame to the encoder.
    ///
    /// - Throws: ``VideoError/frameSizeMismatch(path:expected:found:)`` for a frame of another
    ///   size, ``VideoError/encodeFailed(path:reason:)`` if ffmpeg stopped (the writer is then
    ///   cancelled).
    package func write(_ frame: RGBImage) throws {
        guard !closed else { throw VideoError.writerClosed(path: url.path) }
        guard frame.width == width && frame.height == height else {
            throw VideoError.frameSizeMismatch(
                path: url.path, expected: "\(width)x\(height)", found: "\(frame.width)x\(frame.height)")
        }
        do {
            try tool.input?.write(contentsOf: frame.pixels)
            framesWritten += 1
        } catch {
            closed = true
            let (_, message) = tool.finish()
            try? FileManager.default.removeItem(at: temporary)
            throw VideoError.encodeFailed(path: url.path, reason: message)
        }
    }

    /// Ends the stream, waits for ffmpeg and moves the finished file into place.
    ///
    /// - Throws: ``VideoError/encodeFailed(path:reason:)`` (nothing is left at `url` then).
    package func finish() throws {
        guard !closed else { throw VideoError.writerClosed(path: url.path) }
        closed = true
        let (ok, message) = tool.finish()
        guard ok, framesWritten > 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw VideoError.encodeFailed(path: url.path, reason: framesWritten == 0 ? "no frames written" : message)
        }
        do {
            try AtomicFile.commit(temporary, to: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw VideoError.encodeFailed(path: url.path, reason: "\(error)")
        }
    }

    /// Stops encoding and removes the partial file (also done when an unfinished writer is
    /// released).
    package func cancel() {
        guard !closed else { return }
        closed = true
        tool.terminate()
        try? FileManager.default.removeItem(at: temporary)
    }

    deinit { cancel() }
}
