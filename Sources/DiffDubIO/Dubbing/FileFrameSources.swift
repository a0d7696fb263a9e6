import DiffDubCore
import Foundation

/// The frames of a folder of numbered PNG files, in natural order.
public struct FrameFolderSource: FrameSource {
    /// The listed folder.
    package let folder: FrameFolder

    /// Lists the PNG frames of `url` (decoded within `limits`).
    public init(_ url: URL, limits: ReaderLimits = .standard) throws { folder = try FrameFolder(url, limits: limits) }

    /// The number of files.
    public var frameCount: Int? { folder.count }
    /// The folder's path.
    public var name: String { folder.url.path }

    /// A reader decoding the files one by one.
    public func makeReader() throws -> any FrameReader { Reader(folder) }

    private final class Reader: FrameReader {
        let folder: FrameFolder
        var position = 0
        init(_ folder: FrameFolder) { self.folder = folder }
        func next() throws -> RGBImage? {
            guard position < folder.count else { return nil }
            defer { position += 1 }
            return try folder.image(at: position)
        }
    }
}

/// The frames of any video ffmpeg decodes, resampled to 25 fps (or read at the file's own
/// rate), decoded as they are read.
public struct VideoFileSource: FrameSource {
    /// The video file.
    public let url: URL
    /// Its probed properties.
    package let info: VideoInfo
    /// The bounds its frames are read within (their size: ``ReaderLimits/maximumImagePixels``).
    public let limits: ReaderLimits
    /// The rate frames are read at: 25/1 by default, the file's own with
    /// ``init(atSourceRateOf:limits:)``.
    public let rate: FrameRate
    /// ``rate`` rounded to an integer.
    package var frameRate: Int { Int(rate.framesPerSecond.rounded()) }

    /// Probes `url` (ffprobe); frames are resampled to `frameRate` fps.
    public init(_ url: URL, frameRate: Int = 25, limits: ReaderLimits = .standard) throws {
        guard let rate = FrameRate(numerator: frameRate) else { preconditionFailure("VideoFileSource: \(frameRate) fps") }
        try self.init(url, rate: rate, limits: limits)
    }

    /// Probes `url`; frames are resampled to `rate`.
    public init(_ url: URL, rate: FrameRate, limits: ReaderLimits = .standard) throws {
        self.url = url
        self.rate = rate
        self.info = try VideoProbe.info(url, limits: limits)
        self.limits = limits
    }

    /// Probes `url`; frames are read at its own average rate (`VideoInfo.rate`), every frame of
    /// a constant-rate file exactly once (`VideoReader.Timing.sourceRate`).
    ///
    /// - Throws: `VideoError.probeFailed(path:reason:)` when the file states no rate.
    public init(atSourceRateOf url: URL, limits: ReaderLimits = .standard) throws {
        let info = try VideoProbe.info(url, limits: limits)
        guard let rate = info.rate else {
            throw VideoError.probeFailed(path: url.path, reason: "the video stream states no frame rate")
        }
        self.url = url
        self.rate = rate
        self.info = info
        self.limits = limits
    }

    /// Not known exactly before decoding: `nil` (see `countFrames()`).
    public var frameCount: Int? { nil }

    /// The exact number of frames ``makeReader()`` yields, found by decoding the video once
    /// through ffmpeg's `fps` filter without converting the pixels (much faster than reading
    /// them).
    ///
    /// - Throws: ``VideoError`` when ffmpeg fails.
    package func countFrames() throws -> Int {
        let data = try ExternalTool.run(
            "ffmpeg",
            ["-v", "error", "-nostdin", "-i", url.path, "-map", "0:v:0", "-vf", "fps=\(rate)", "-f", "null",
             "-progress", "pipe:1", "-"]
        ) { VideoError.decodeFailed(path: url.path, reason: $0) }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
        guard let last = lines.last(where: { $0.hasPrefix("frame=") }), let count = Int(last.dropFirst(6)) else {
            throw VideoError.decodeFailed(path: url.path, reason: "ffmpeg reported no frame count")
        }
        return count
    }
    /// The file's path.
    public var name: String { url.path }

    /// A fresh ffmpeg decoder.
    public func makeReader() throws -> any FrameReader { Reader(try VideoReader(url, timing: .resampled(rate), limits: limits)) }

    private final class Reader: FrameReader {
        let reader: VideoReader
        init(_ reader: VideoReader) { self.reader = reader }
        func next() throws -> RGBImage? { try reader.nextFrame() }
        deinit { reader.close() }
    }
}
