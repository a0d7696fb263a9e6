/// What can go wrong reading or writing landmark files.
public enum LandmarksError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read or written.
    case unreadable(path: String, reason: String)
    /// A file or entry does not hold 68 points (`line` is 1-based, `nil` for a whole file).
    case wrongPointCount(path: String, line: Int?, found: Int)
    /// A line of a per-frame file does not hold exactly two numbers `x y`.
    case malformedLine(path: String, line: Int, text: String)
    /// A value is not a number.
    case unparsableNumber(path: String, line: Int, text: String)
    /// No landmarks for a frame: a missing per-frame file or a frame absent from the table.
    case missingFrame(path: String, frame: String)
    /// A table names the same frame twice.
    case duplicateFrame(path: String, line: Int, frame: String)
    /// A table has no entries.
    case empty(path: String)

    /// A one-line explanation naming the file (and line).
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot access landmarks: \(reason)"
        case .wrongPointCount(let path, let line, let found):
            "\(path)\(line.map { ":\($0)" } ?? ""): \(found) landmark points, expected 68"
        case .malformedLine(let path, let line, let text):
            "\(path):\(line): expected two numbers \"x y\", found \"\(text)\""
        case .unparsableNumber(let path, let line, let text):
            "\(path):\(line): \"\(text)\" is not a number"
        case .missingFrame(let path, let frame): "\(path): no landmarks for frame \(frame)"
        case .duplicateFrame(let path, let line, let frame):
            "\(path):\(line): frame \(frame) appears a second time"
        case .empty(let path): "\(path): no landmark entries"
        }
    }
}
