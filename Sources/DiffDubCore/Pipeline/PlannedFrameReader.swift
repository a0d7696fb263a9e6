import Foundation

/// Reads the input frames of a plan's output frames in output order: `sources[i]` for the
/// `i`-th call of ``next()``.
///
/// When the sources never go back (the usual case, each input frame once in order) the clip is
/// read once, frames that no output uses are skipped, and only one frame is held at a time.
/// When they do go back (a clip played forward then backward to last as long as the speech),
/// the frames are first copied to a temporary file (``FrameSpool``) and read from there, so
/// memory stays flat in the clip's length either way. Every frame must have the size of the
/// first.
package final class PlannedFrameReader {
    private let sources: [Int]
    private var position = 0
    private let sequential: (any FrameReader)?
    private var sequentialIndex = -1
    private var current: RGBImage?
    private let spool: FrameSpool?
    private var size: (height: Int, width: Int)?
    private let name: String

    package init(source: any FrameSource, sources: [Int]) throws {
        self.sources = sources
        self.name = source.name
        let monotonic = zip(sources, sources.dropFirst()).allSatisfy { $0 <= $1 }
        if monotonic || source is StillFrame {
            sequential = try source.makeReader()
            spool = nil
        } else {
            sequential = nil
            spool = try FrameSpool(source: source, count: (sources.max() ?? -1) + 1)
        }
    }

    /// The next planned input frame.
    ///
    /// - Throws: ``DubbingError/noFrames(input:)`` when the source ends early,
    ///   ``DubbingError/frameSizeChanged(index:expected:found:)``, and the source's errors.
    package func next() throws -> RGBImage {
        precondition(position < sources.count, "PlannedFrameReader: read past the plan")
        let wanted = sources[position]
        position += 1
        let frame: RGBImage
        if let spool {
            frame = try spool.frame(wanted)
        } else if let sequential {
            while sequentialIndex < wanted {
                guard let next = try sequential.next() else {
                    throw DubbingError.missingFrame(input: name, frame: wanted, frames: sequentialIndex + 1)
                }
                current = next
                sequentialIndex += 1
            }
            frame = current!
        } else {
            preconditionFailure("PlannedFrameReader: no reader")
        }
        if let size {
            guard size.height == frame.height && size.width == frame.width else {
                throw DubbingError.frameSizeChanged(
                    index: wanted, expected: "\(size.width)x\(size.height)", found: "\(frame.width)x\(frame.height)")
            }
        } else {
            size = (frame.height, frame.width)
        }
        return frame
    }
}

/// The first frames of a clip copied to a temporary file (raw RGB, one fixed size), for reading
/// in any order; the file is removed when the spool is released.
final class FrameSpool {
    private let url: URL
    private let handle: FileHandle
    private let height: Int
    private let width: Int
    private let count: Int

    /// Copies frames `0..<count` of `source`.
    init(source: any FrameSource, count: Int) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(".diffdub-frames-\(UUID().uuidString).rgb")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw DubbingError.spoolFailed(path: url.path, reason: "cannot create the file")
        }
        do {
            handle = try FileHandle(forUpdating: url)
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw DubbingError.spoolFailed(path: url.path, reason: error.localizedDescription)
        }
        let reader = try source.makeReader()
        var shape: (Int, Int)?
        var written = 0
        do {
            while written < count, let frame = try reader.next() {
                if let shape, shape != (frame.height, frame.width) {
                    throw DubbingError.frameSizeChanged(
                        index: written, expected: "\(shape.1)x\(shape.0)", found: "\(frame.width)x\(frame.height)")
                }
                shape = (frame.height, frame.width)
                try handle.write(contentsOf: frame.pixels)
                written += 1
            }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        height = shape?.0 ?? 0
        width = shape?.1 ?? 0
        self.count = written
        if written < count {
            try? handle.close()
            try? FileManager.default.removeItem(at: url)
            throw DubbingError.missingFrame(input: source.name, frame: count - 1, frames: written)
        }
    }

    /// Frame `index`.
    func frame(_ index: Int) throws -> RGBImage {
        precondition(index >= 0 && index < count, "FrameSpool: frame \(index) of \(count)")
        let bytes = height * width * RGBImage.channels
        do {
            try handle.seek(toOffset: UInt64(index * bytes))
            guard let data = try handle.read(upToCount: bytes), data.count == bytes else {
                throw DubbingError.spoolFailed(path: url.path, reason: "short read of frame \(index)")
            }
            return RGBImage(height: height, width: width, pixels: [UInt8](data))
        } catch let error as DubbingError {
            throw error
        } catch {
            throw DubbingError.spoolFailed(path: url.path, reason: error.localizedDescription)
        }
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }
}
