import Foundation

/// A half-open slice `start..<end` of a clip's output frames, written `START:END` on the
/// command line (either side may be omitted: `:100`, `250:`).
///
/// Rendering a slice uses the same noise, lip latents and reference as a whole run, so
/// slices rendered by separate processes join into exactly the frames of a single run.
public struct FrameRange: Sendable, Hashable, Codable, CustomStringConvertible {
    /// First frame (0-based).
    public var start: Int
    /// One past the last frame, or `nil` for "to the end".
    public var end: Int?

    /// A slice from `start` up to `end` (exclusive).
    public init(start: Int = 0, end: Int? = nil) {
        self.start = start
        self.end = end
    }

    /// Parses `START:END`, `START:` or `:END` (non-negative integers, START < END).
    package init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let startText = parts[0].trimmingCharacters(in: .whitespaces)
        let endText = parts[1].trimmingCharacters(in: .whitespaces)
        let start = startText.isEmpty ? 0 : Int(startText)
        let end = endText.isEmpty ? nil : Int(endText)
        guard let start, start >= 0 else { return nil }
        if !endText.isEmpty {
            guard let end, end > start else { return nil }
        }
        self.init(start: start, end: end)
    }

    /// The frames of this slice within a clip of `count` frames (may be empty).
    package func clamped(toCount count: Int) -> Range<Int> {
        let lower = min(start, count)
        let upper = min(end ?? count, count)
        return lower..<max(lower, upper)
    }

    /// `START:END` with empty sides for open ends.
    public var description: String { "\(start):\(end.map(String.init) ?? "")" }
}
