import DiffDubCore
import Foundation

/// The frames of a folder of numbered PNG files, in natural order.
public struct FrameFolderSource: FrameSource {
    /// The listed folder.
    public let folder: FrameFolder

    /// Lists the PNG frames of `url`.
    public init(_ url: URL) throws { folder = try FrameFolder(url) }

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

/// The frames of any video ffmpeg decodes, resampled to 25 fps, decoded as they are read.
public struct VideoFileSource: FrameSource {
    /// The video file.
    public let url: URL
    /// Its probed properties.
    public let info: VideoInfo
    /// Output frame rate (25).
    public let frameRate: Int

    /// Probes `url` (ffprobe).
    public init(_ url: URL, frameRate: Int = 25) throws {
        self.url = url
        self.frameRate = frameRate
        self.info = try VideoProbe.info(url)
    }

    /// Not known exactly before decoding: `nil` (see ``countFrames()``).
    public var frameCount: Int? { nil }

    /// The exact number of frames ``makeReader()`` yields, found by decoding the video once
    /// through ffmpeg's `fps` filter without converting the pixels (much faster than reading
    /// them).
    ///
    /// - Throws: ``VideoError`` when ffmpeg fails.
    public func countFrames() throws -> Int {
        let data = try ExternalTool.run(
            "ffmpeg",
            ["-v", "error", "-nostdin", "-i", url.path, "-map", "0:v:0", "-vf", "fps=\(frameRate)", "-f", "null",
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
    public func makeReader() throws -> any FrameReader { Reader(try VideoReader(url, frameRate: frameRate)) }

    private final class Reader: FrameReader {
        let reader: VideoReader
        init(_ reader: VideoReader) { self.reader = reader }
        func next() throws -> RGBImage? { try reader.nextFrame() }
        deinit { reader.close() }
    }
}
