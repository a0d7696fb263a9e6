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

    /// The largest coordinate or side accepted (pixels): far above any frame a run reads, and
    /// small enough that `x + size` cannot overflow.
    package static let maximumCoordinate = 1 << 20

    /// Parses `X,Y,SIZE` (integers, X and Y in `0...maximumCoordinate`, SIZE in
    /// `1...maximumCoordinate`).
    package init?(parsing text: String) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let x = parts[0], let y = parts[1], let size = parts[2] else { return nil }
        self.init(x: x, y: y, size: size)
        guard (try? validate(name: "")) != nil else { return nil }
    }

    /// Checks that x and y lie in `0...maximumCoordinate` and the size in `1...maximumCoordinate`.
    ///
    /// - Throws: ``DubbingError/invalidOption(name:value:reason:)`` naming the option `name`.
    package func validate(name: String) throws {
        let limit = Self.maximumCoordinate
        guard (0...limit).contains(x), (0...limit).contains(y), (1...limit).contains(size) else {
            throw DubbingError.invalidOption(
                name: name, value: description, reason: "expected X,Y,SIZE with X and Y from 0 to \(limit), SIZE from 1 to \(limit)")
        }
    }

    /// Whether the region lies inside a `height x width` frame (`false` for a region with a
    /// negative coordinate or too large to add up).
    package func fits(height: Int, width: Int) -> Bool {
        guard x >= 0, y >= 0, size > 0 else { return false }
        let (right, rightOverflow) = x.addingReportingOverflow(size)
        let (bottom, bottomOverflow) = y.addingReportingOverflow(size)
        return !rightOverflow && !bottomOverflow && right <= width && bottom <= height
    }

    /// `X,Y,SIZE`.
    public var description: String { "\(x),\(y),\(size)" }
}
