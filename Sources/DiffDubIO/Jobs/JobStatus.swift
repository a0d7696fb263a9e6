import Foundation

/// How far a job's rendering is: which output frames exist in `frames/`.
public struct JobStatus: Sendable, Equatable, CustomStringConvertible {
    /// The output frames of the job (absolute numbers).
    public let frames: Range<Int>
    /// Ranges of frames not rendered yet, in order.
    public let missing: [Range<Int>]

    /// The status of `frames` with `rendered` present; the work follows the rendered frames
    /// (sorted once), never the length of `frames`, so a range of any size costs nothing.
    package init(frames: Range<Int>, rendered: Set<Int>) {
        self.frames = frames
        var missing: [Range<Int>] = []
        var next = frames.lowerBound
        for index in rendered.filter({ frames.contains($0) }).sorted() {
            if index > next { missing.append(next..<index) }
            next = index + 1
        }
        if next < frames.upperBound { missing.append(next..<frames.upperBound) }
        self.missing = missing
    }

    /// Number of frames.
    public var total: Int { frames.count }
    /// Number of rendered frames.
    package var done: Int { total - missing.reduce(0) { $0 + $1.count } }
    /// Whether every frame is rendered.
    public var isComplete: Bool { missing.isEmpty }

    /// `DONE/TOTAL frames`, then one line per missing range (`missing 12-15`, `missing 20`).
    public var description: String {
        (["\(done)/\(total) frames"] + missing.map { "missing \(Self.format($0))" }).joined(separator: "\n")
    }

    /// `A-B` (inclusive) or `A` for one frame.
    package static func format(_ range: Range<Int>) -> String {
        range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound - 1)"
    }

    /// Ranges joined by commas, at most `limit` of them (then `... (N more)`).
    package static func format(_ ranges: [Range<Int>], limit: Int = 20) -> String {
        let shown = ranges.prefix(limit).map { format($0) }.joined(separator: ", ")
        return ranges.count > limit ? shown + ", ... (\(ranges.count - limit) more ranges)" : shown
    }
}
