import Foundation

/// A square region of a frame, in the frame's pixels: the face crop that is dubbed
/// (`--crop X,Y,SIZE`).
public struct FaceRegion: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Left column.
    public var x: Int
    /// Top row.
    public var y: Int
    /// Side length.
    public var size: Int

    /// The square `size x size` with its top-left corner at `(x, y)`.
    public init(x: Int, y: Int, size: Int) {
        self.x = x
        self.y = y
        self.size = size
    }

    /// Parses `X,Y,SIZE` (non-negative integers, SIZE > 0).
    public init?(parsing text: String) {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let x = parts[0], let y = parts[1], let size = parts[2],
            x >= 0, y >= 0, size > 0
        else { return nil }
        self.init(x: x, y: y, size: size)
    }

    /// Whether the region lies inside a `height x width` frame.
    public func fits(height: Int, width: Int) -> Bool {
        x + size <= width && y + size <= height
    }

    /// `X,Y,SIZE`.
    public var description: String { "\(x),\(y),\(size)" }
}
