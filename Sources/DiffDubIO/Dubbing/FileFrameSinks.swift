import DiffDubCore
import Foundation

/// Writes output frames as `NNNNNN.png` (the absolute frame number, from 000000) into a
/// folder that appears under its final name only when the run finishes (``finish()``): frames
/// go to a hidden temporary sibling folder first. The folder holds the marker
/// `OutputGuard.markerName`, so a later run recognises it as an output.
///
/// What may be at the destination is ``OutputGuard``'s decision, checked when the sink is made
/// and again before the rename: nothing, an empty folder, or (with `OutputGuard.overwrite`) a
/// file or a folder this tool wrote, which is replaced as a whole when the new one is
/// complete, never mixed with it.
public final class PNGFolderSink: FrameSink, @unchecked Sendable {
    /// The destination folder.
    public let url: URL
    /// What the destination may replace.
    package let outputGuard: OutputGuard
    private let staging: URL
    private let lock = NSLock()
    private var ended = false

    /// Checks `url` with `outputGuard` and creates the staging folder next to it.
    ///
    /// - Throws: `OutputRefusal` (nothing is made), `ImageError.unwritable(path:reason:)`
    ///   when the folder cannot be made.
    public init(_ url: URL, outputGuard: OutputGuard = OutputGuard()) throws {
        try outputGuard.check(url)
        self.url = url
        self.outputGuard = outputGuard
        self.staging = AtomicFile.temporaryURL(for: url)
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            TemporaryFiles.unregister(staging)
            throw ImageError.unwritable(path: url.path, reason: SystemErrorText.reason(error))
        }
    }

    /// The file name of output frame `index`.
    package static func fileName(forFrame index: Int) -> String { String(format: "%06d.png", index) }

    /// Writes frame `index` into the staging folder.
    public func write(_ frame: RGBImage, index: Int) throws {
        try PNGFile.write(frame, to: staging.appendingPathComponent(Self.fileName(forFrame: index)))
    }

    /// Marks the finished folder and moves it to ``url``, replacing what was there if
    /// `outputGuard` still allows it (the destination may have changed during the run).
    ///
    /// - Throws: `OutputRefusal` (the staging folder stays until ``discard()``),
    ///   `ImageError.unwritable(path:reason:)`.
    public func finish() throws {
        try lock.withLock {
            guard !ended else { return }
            try outputGuard.check(url)
            do {
                try OutputGuard.markAsOutput(staging)
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
///
/// What may be at the destination is ``OutputGuard``'s decision, checked when the sink is made
/// and again before the rename (an existing file is replaced only with `OutputGuard.overwrite`).
public final class VideoFileSink: FrameSink, @unchecked Sendable {
    /// The destination.
    public let url: URL
    /// What the destination may replace.
    package let outputGuard: OutputGuard
    private let audio: URL?
    /// The output's frame rate.
    package let rate: FrameRate
    private let lock = NSLock()
    private var writer: VideoWriter?

    /// A sink writing `url` at `frameRate` fps with `audio` muxed in (if given), where
    /// `outputGuard` allows. ffmpeg starts with the first frame.
    ///
    /// - Throws: `OutputRefusal`, `VideoError` when ffmpeg is not installed.
    public convenience init(
        _ url: URL, audio: URL?, frameRate: Int = 25, outputGuard: OutputGuard = OutputGuard()
    ) throws {
        guard let rate = FrameRate(numerator: frameRate) else { preconditionFailure("VideoFileSink: \(frameRate) fps") }
        try self.init(url, audio: audio, rate: rate, outputGuard: outputGuard)
    }

    /// A sink writing `url` at the exact `rate` (the source's, with
    /// `OutputFrameRate.source(_:)`) with `audio` muxed in (if given), where `outputGuard` allows.
    ///
    /// - Throws: `OutputRefusal`, `VideoError` when ffmpeg is not installed.
    public init(_ url: URL, audio: URL?, rate: FrameRate, outputGuard: OutputGuard = OutputGuard()) throws {
        try outputGuard.check(url)
        _ = try ExternalTool.locate("ffmpeg")
        self.url = url
        self.outputGuard = outputGuard
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

    /// Finishes encoding and renames the file into place if `outputGuard` still allows it.
    ///
    /// - Throws: `OutputRefusal` (the encoder is stopped, nothing is written),
    ///   `VideoError.encodeFailed(path:reason:)`.
    public func finish() throws {
        try lock.withLock {
            guard let writer else {
                throw VideoError.encodeFailed(path: url.path, reason: "no frames were rendered")
            }
            do {
                try outputGuard.check(url)
            } catch {
                writer.cancel()
                throw error
            }
            try writer.finish()
        }
    }

    /// Stops ffmpeg and removes the partial file.
    public func discard() { lock.withLock { writer?.cancel() } }
}
