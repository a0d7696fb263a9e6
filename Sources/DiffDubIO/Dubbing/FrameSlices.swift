import DiffDubCore
import Foundation

/// Joins the PNG frame folders of separately rendered slices of one clip
/// (`diffdub dub --frame-range`, frames named by their absolute number `NNNNNN.png`) into one
/// sequence, checking that together they cover a contiguous run of frames exactly once.
package struct FrameSlices {
    /// A problem with the slices.
    package enum Error: LocalizedError, CustomStringConvertible, Equatable {
        /// A frame number appears in two folders.
        case duplicate(frame: Int, first: String, second: String)
        /// Frames are missing between two slices.
        case gap(missing: Range<Int>)
        /// A folder holds no numbered frames.
        case empty(folder: String)

        /// The same line as ``description``: what `localizedDescription` shows.
        package var errorDescription: String? { description }

        /// One line saying what is wrong.
        package var description: String {
            switch self {
            case .duplicate(let frame, let first, let second):
                "frame \(frame) is in both \(first) and \(second)"
            case .gap(let missing):
                "frames \(missing.lowerBound)..<\(missing.upperBound) are in none of the slices"
            case .empty(let folder): "\(folder): no numbered .png frames (NNNNNN.png)"
            }
        }
    }

    /// The frame files, by frame number, in order.
    package let frames: [(index: Int, url: URL)]

    /// Lists and checks the frames of `folders`.
    package init(folders: [URL]) throws {
        var byIndex: [Int: URL] = [:]
        for folder in folders {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            let numbered = names.compactMap { name -> (Int, URL)? in
                guard name.hasSuffix(".png"), let index = Int(name.dropLast(4)), index >= 0 else { return nil }
                return (index, folder.appendingPathComponent(name))
            }.sorted { $0.0 < $1.0 }
            guard !numbered.isEmpty else { throw Error.empty(folder: folder.path) }
            for (index, url) in numbered {
                if let existing = byIndex[index] {
                    throw Error.duplicate(
                        frame: index, first: existing.deletingLastPathComponent().path, second: folder.path)
                }
                byIndex[index] = url
            }
        }
        let sorted = byIndex.sorted { $0.key < $1.key }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.key != a.key + 1 {
            throw Error.gap(missing: (a.key + 1)..<b.key)
        }
        frames = sorted.map { (index: $0.key, url: $0.value) }
    }

    /// The frame numbers covered.
    package var range: Range<Int> { (frames.first?.index ?? 0)..<((frames.last?.index ?? -1) + 1) }

    /// Writes every frame, in order, to `sink`, each decoded within `limits`.
    package func write(
        to sink: any FrameSink, limits: ReaderLimits = .standard, progress: ProgressHandler? = nil
    ) throws {
        let tracker = try ProgressTracker(stage: .joining, total: frames.count, handler: progress)
        for (done, frame) in frames.enumerated() {
            try sink.write(try PNGFile.read(frame.url, limits: limits), index: frame.index)
            if (done + 1) % 25 == 0 || done + 1 == frames.count { try tracker.report(completed: done + 1) }
        }
    }
}
