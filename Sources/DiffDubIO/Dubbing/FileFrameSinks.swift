import DiffDubCore
import Foundation

/// Writes output frames as `NNNNNN.png` (the absolute frame number, from 000000) into a
/// folder that appears under its final name only when ``commit()`` is called: frames go to a
/// hidden temporary sibling folder first. If the destination folder already exists, its
/// frames are kept and the new ones are added (so slices of one clip can share a folder).
public final class PNGFolderSink: FrameSink {
    /// The destination folder.
    public let url: URL
    private let staging: URL
    private var committed = false

    /// Creates the staging folder next to `url`.
    public init(_ url: URL) throws {
        self.url = url
        self.staging = AtomicFile.temporaryURL(for: url)
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw ImageError.unwritable(path: url.path, reason: error.localizedDescription)
        }
    }

    /// The file name of output frame `index`.
    public static func fileName(forFrame index: Int) -> String { String(format: "%06d.png", index) }

    /// Writes frame `index` into the staging folder.
    public func write(_ frame: RGBImage, index: Int) throws {
        try PNGFile.write(frame, to: staging.appendingPathComponent(Self.fileName(forFrame: index)))
    }

    /// Moves the frames into `url` (created if needed).
    public func commit() throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: url.path) {
            try AtomicFile.commit(staging, to: url)
        } else {
            for name in try manager.contentsOfDirectory(atPath: staging.path) {
                try AtomicFile.commit(staging.appendingPathComponent(name), to: url.appendingPathComponent(name))
            }
            try manager.removeItem(at: staging)
        }
        committed = true
    }

    /// Removes the staging folder (also done when an uncommitted sink is released).
    public func cancel() {
        guard !committed else { return }
        committed = true
        try? FileManager.default.removeItem(at: staging)
    }

    deinit { cancel() }
}

/// Writes output frames to an MP4 (H.264, 25 fps or a given rate) with an audio track, through ffmpeg; the
/// file appears under its name only when ``commit()`` succeeds.
public final class VideoFileSink: FrameSink {
    /// The destination.
    public let url: URL
    private let audio: URL?
    /// The output's frame rate.
    public let rate: FrameRate
    private var writer: VideoWriter?

    /// A sink writing `url` at `frameRate` fps with `audio` muxed in (if given). ffmpeg starts
    /// with the first frame.
    public convenience init(_ url: URL, audio: URL?, frameRate: Int = 25) throws {
        guard let rate = FrameRate(numerator: frameRate) else { preconditionFailure("VideoFileSink: \(frameRate) fps") }
        try self.init(url, audio: audio, rate: rate)
    }

    /// A sink writing `url` at the exact `rate` (the source's, with
    /// ``OutputFrameRate/source(_:)``) with `audio` muxed in (if given).
    public init(_ url: URL, audio: URL?, rate: FrameRate) throws {
        _ = try ExternalTool.locate("ffmpeg")
        self.url = url
        self.audio = audio
        self.rate = rate
    }

    /// Encodes the frame.
    public func write(_ frame: RGBImage, index: Int) throws {
        if writer == nil {
            writer = try VideoWriter(url, width: frame.width, height: frame.height, rate: rate, audio: audio)
        }
        try writer?.write(frame)
    }

    /// Finishes encoding and renames the file into place.
    public func commit() throws {
        guard let writer else { throw VideoError.encodeFailed(path: url.path, reason: "no frames were rendered") }
        try writer.finish()
    }

    /// Stops ffmpeg and removes the partial file.
    public func cancel() { writer?.cancel() }
}
