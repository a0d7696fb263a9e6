import Foundation

/// A source's frames in the order of an ``OutputTimeline``: output frame `i` is source frame
/// ``OutputTimeline/sourceFrame(forOutput:)``, so a pipeline that reads frames in order gets
/// the ping-pong of ``TimelineFit/speech`` without random access to the source.
///
/// While the timeline only moves forward (``TimelineFit/shortest``, a speech no longer than the
/// video, a still image) frames are streamed from the source. When it revisits frames, each
/// source frame is also written, as it is first read, to a raw RGB spool file in the
/// temporary folder, from which the backward and later passes are read; one frame is in memory
/// at a time, and the spool is removed when the reader is released.
public struct TimelineFrames: FrameSource {
    /// The source, read at the timeline's rate.
    public let source: any FrameSource
    /// The timeline.
    public let timeline: OutputTimeline
    /// Where spool files go (default: the system's temporary folder).
    public var spoolFolder: URL

    /// The frames of `source` in `timeline`'s output order.
    public init(_ source: any FrameSource, timeline: OutputTimeline, spoolFolder: URL? = nil) {
        self.source = source
        self.timeline = timeline
        self.spoolFolder = spoolFolder ?? FileManager.default.temporaryDirectory
    }

    /// The timeline's frame count.
    public var frameCount: Int? { timeline.frameCount }
    /// The source's name.
    public var name: String { source.name }

    /// A reader of the output-ordered frames.
    public func makeReader() throws -> any FrameReader {
        try TimelineFrameReader(source: source.makeReader(), timeline: timeline, folder: spoolFolder, name: source.name)
    }

    /// Maps values given per source frame (regions, landmarks) to output order: entry `i` is
    /// `values[timeline.sourceFrame(forOutput: i)]`, `nil` past the end of `values`.
    public static func outputOrder<Value>(_ values: [Value?], timeline: OutputTimeline) -> [Value?] {
        (0..<timeline.frameCount).map { i in
            let j = timeline.sourceFrame(forOutput: i)
            return j < values.count ? values[j] : nil
        }
    }
}

/// Errors of reading a timeline's frames.
public enum TimelineFramesError: Error, LocalizedError, CustomStringConvertible, Equatable {
    /// The source ended before the frame count the timeline was made for.
    case sourceEnded(name: String, frames: Int, expected: Int)
    /// The spool file could not be written or read.
    case spoolFailed(path: String, reason: String)

    /// One line naming the source or file.
    public var description: String {
        switch self {
        case .sourceEnded(let name, let frames, let expected):
            "\(name) has \(frames) frames, the timeline was made for \(expected)"
        case .spoolFailed(let path, let reason): "\(path): cannot spool frames: \(reason)"
        }
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }
}

final class TimelineFrameReader: FrameReader {
    private let source: any FrameReader
    private let timeline: OutputTimeline
    private let name: String
    private var output = 0
    private var read = 0
    private var spool: FrameSpool?
    private let spoolFolder: URL

    init(source: any FrameReader, timeline: OutputTimeline, folder: URL, name: String) throws {
        self.source = source
        self.timeline = timeline
        self.name = name
        self.spoolFolder = folder
    }

    func next() throws -> RGBImage? {
        guard output < timeline.frameCount else { return nil }
        let wanted = timeline.sourceFrame(forOutput: output)
        output += 1
        if timeline.sourceFrameCount == nil {
            // A still image: the source repeats its picture.
            return try source.next()
        }
        if wanted == read {
            guard let frame = try source.next() else {
                throw TimelineFramesError.sourceEnded(name: name, frames: read, expected: timeline.sourceFrameCount ?? 0)
            }
            read += 1
            if timeline.revisitsSourceFrames {
                if spool == nil { spool = try FrameSpool(folder: spoolFolder, height: frame.height, width: frame.width) }
                try spool?.append(frame, name: name, index: read - 1)
            }
            return frame
        }
        guard wanted < read, let spool else {
            throw TimelineFramesError.sourceEnded(name: name, frames: read, expected: wanted + 1)
        }
        return try spool.frame(at: wanted)
    }
}

/// Frames of one size stored back to back as raw RGB in a temporary file.
final class FrameSpool {
    let url: URL
    let height: Int
    let width: Int
    private let handle: FileHandle
    private var count = 0

    init(folder: URL, height: Int, width: Int) throws {
        url = folder.appendingPathComponent("diffdub-frames-\(UUID().uuidString).rgb")
        self.height = height
        self.width = width
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
            let handle = try? FileHandle(forUpdating: url)
        else { throw TimelineFramesError.spoolFailed(path: url.path, reason: "cannot create the file") }
        self.handle = handle
    }

    var frameBytes: Int { height * width * 3 }

    func append(_ frame: RGBImage, name: String, index: Int) throws {
        guard frame.height == height, frame.width == width else {
            throw DubbingError.frameSizeChanged(index: index, expected: "\(width)x\(height)", found: "\(frame.width)x\(frame.height)")
        }
        do {
            try handle.seek(toOffset: UInt64(count * frameBytes))
            try handle.write(contentsOf: frame.pixels)
        } catch {
            throw TimelineFramesError.spoolFailed(path: url.path, reason: error.localizedDescription)
        }
        count += 1
    }

    func frame(at index: Int) throws -> RGBImage {
        precondition(index >= 0 && index < count, "FrameSpool: frame \(index) of \(count)")
        do {
            try handle.seek(toOffset: UInt64(index * frameBytes))
            guard let data = try handle.read(upToCount: frameBytes), data.count == frameBytes else {
                throw TimelineFramesError.spoolFailed(path: url.path, reason: "short read of frame \(index)")
            }
            return RGBImage(height: height, width: width, pixels: [UInt8](data))
        } catch let error as TimelineFramesError {
            throw error
        } catch {
            throw TimelineFramesError.spoolFailed(path: url.path, reason: error.localizedDescription)
        }
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }
}
