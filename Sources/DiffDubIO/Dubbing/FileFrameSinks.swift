import DiffDubCore
import Foundation

/// Writes output frames as `NNNNNN.png` (the absolute frame number, from 000000) into a
/// folder that appears under its final name only when the run finishes (``finish()``): frames
/// go to a hidden temporary sibling folder first. A folder already at the destination is
/// replaced as a whole when the new one is complete, never mixed with it.
public final class PNGFolderSink: FrameSink, @unchecked Sendable {
    /// The destination folder.
    public let url: URL
    private let staging: URL
    private let lock = NSLock()
    private var ended = false

    /// Creates the staging folder next to `url`.
    ///
    /// - Throws: ``ImageError/unwritable(path:reason:)`` when the folder cannot be made.
    public init(_ url: URL) throws {
        self.url = url
        self.staging = AtomicFile.temporaryURL(for: url)
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            TemporaryFiles.unregister(staging)
            throw ImageError.unwritable(path: url.path, reason: SystemErrorText.reason(error))
        }
    }

    /// The file name of output frame `index`.
    public static func fileName(forFrame index: Int) -> String { String(format: "%06d.png", index) }

    /// Writes frame `index` into the staging folder.
    public func write(_ frame: RGBImage, index: Int) throws {
        try PNGFile.write(frame, to: staging.appendingPathComponent(Self.fileName(forFrame: index)))
    }

    /// Moves the finished folder to ``url``, replacing what was there.
    public func finish() throws {
        try lock.withLock {
            guard !ended else { return }
            do {
                try AtomicFile.commit(staging, to: url)
            } catch {
                throw ImageError.unwritable(path: url.path, reason: SystemErrorText.reason(error))
            }
            ended = true
        }
    }

    /// Removes the staging folder; ``url`` is left as it was.
    public func discard() {
        lock.withLock {
            guard !ended else { return }
            ended = true
            try? FileManager.default.removeItem(at: staging)
            TemporaryFiles.unregister(staging)
        }
    }

    /// An unfinished sink removes its staging folder (never the destination).
    deinit { discard() }
}

/// Writes output frames to an MP4 (H.264, 25 fps or a given exact rate) with an audio track,
/// through ffmpeg; the file appears under its name only when ``finish()`` succeeds.
public final class VideoFileSink: FrameSink, @unchecked Sendable {
    /// The destination.
    public let url: URL
    private let audio: URL?
    /// The output's frame rate.
    public let rate: FrameRate
    private let lock = NSLock()
    private var writer: VideoWriter?

    /// A sink writing `url` at `frameRate` fps with `audio` muxed in (if given). ffmpeg starts
    /// with the first frame.
    ///
    /// - Throws: ``VideoError`` when ffmpeg is not installed.
    public convenience init(_ url: URL, audio: URL?, frameRate: Int = 25) throws {
        guard let rate = FrameRate(numerator: frameRate) else { preconditionFailure("VideoFileSink: \(frameRate) fps") }
        try self.init(url, audio: audio, rate: rate)
    }

    /// A sink writing `url` at the exact `rate` (the source's, with
    /// ``OutputFrameRate/source(_:)``) with `audio` muxed in (if given).
    ///
    /// - Throws: ``VideoError`` when ffmpeg is not installed.
    public init(_ url: URL, audio: URL?, rate: FrameRate) throws {
        _ = try ExternalTool.locate("ffmpeg")
        self.url = url
        self.audio = audio
        self.rate = rate
    }

    /// Encodes the frame.
    public func write(_ frame: RGBImage, index: Int) throws {
        try lock.withLock {
            if writer == nil {
                writer = try VideoWriter(url, width: frame.width, height: frame.height, rate: rate, audio: audio)
            }
            try writer?.write(frame)
        }
    }

    /// Finishes encoding and renames the file into place.
    public func finish() throws {
        try lock.withLock {
            guard let writer else {
                throw VideoError.encodeFailed(path: url.path, reason: "no frames were rendered")
            }
            try writer.finish()
        }
    }

    /// Stops ffmpeg and removes the partial file.
    public func discard() { lock.withLock { writer?.cancel() } }
}
