import Foundation

/// What can go wrong reading or writing landmark files.
package enum LandmarksError: LocalizedError, CustomStringConvertible, Equatable {
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
    /// The file holds a NUL byte or another control character that is not a line end or tab
    /// (`line` is 1-based).
    case controlCharacter(path: String, line: Int, code: UInt32)
    /// A value is a number, but NaN or infinite.
    case nonFinite(path: String, line: Int, text: String)
    /// A coordinate lies further from the origin than ``ReaderLimits/maximumLandmarkCoordinate``.
    case implausibleCoordinate(path: String, line: Int, value: Float, limit: Int)

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// A one-line explanation naming the file (and line).
    package var description: String {
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
        case .controlCharacter(let path, let line, let code):
            "\(path):\(line): control character U+\(String(code, radix: 16, uppercase: true).leftPadded(to: 4)) "
                + "(\(code == 0 ? "NUL" : "not text")); landmark files are plain text"
        case .nonFinite(let path, let line, let text):
            "\(path):\(line): \"\(text)\" is not a finite number"
        case .implausibleCoordinate(let path, let line, let value, let limit):
            "\(path):\(line): coordinate \(value) is far outside any frame (limit +-\(limit) pixels, "
                + "DIFFDUB_MAX_LANDMARK_COORDINATE)"
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
