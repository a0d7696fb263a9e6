import DiffDubCore
import Foundation

/// Landmark files in the two layouts the original's data uses.
///
/// - **Per-frame files** (DiffDub's samples, `Tests/Fixtures/faces/landmarks`): one text file
///   per frame, named like the frame with `.txt` (`synth_2.png` -> `synth_2.txt`), 68 lines
///   `x y` (integers or decimals, any blank separation).
/// - **Table** (talking_face_preprocessing's `extract_frame_landmarks.py`): one file, one line
///   per frame: the frame's file name then 68 pairs `x_y`, space-separated
///   (`000001.png 509_230 511_269 ...`). The original writes `int(x)` (truncated).
package enum LandmarksFile {
    // MARK: Per-frame files

    /// The 68 points of a per-frame file (`x y` per line; blank lines ignored), within `limits`
    /// (file size, coordinate magnitude).
    package static func readPoints(_ url: URL, limits: ReaderLimits = .standard) throws -> FaceLandmarks {
        try parsePoints(try readText(url, limits: limits), path: url.path, limits: limits)
    }

    /// The 68 points of per-frame file text; `path` names it in errors.
    package static func parsePoints(_ text: String, path: String, limits: ReaderLimits = .standard) throws -> FaceLandmarks {
        var values: [Float] = []
        var lastLine = 0
        let limit = Float(limits.maximumLandmarkCoordinate)
        for (index, line) in try lines(of: text, path: path).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
            if fields.isEmpty { continue }
            lastLine = index + 1
            guard fields.count == 2 else {
                throw LandmarksError.malformedLine(path: path, line: index + 1, text: String(line.prefix(60)))
            }
            for field in fields {
                values.append(try number(field, path: path, line: index + 1, limit: limit))
            }
            if values.count > 2 * FaceLandmarks.count {
                throw LandmarksError.wrongPointCount(path: path, line: lastLine, found: values.count / 2)
            }
        }
        guard values.count == 2 * FaceLandmarks.count else {
            throw LandmarksError.wrongPointCount(path: path, line: nil, found: values.count / 2)
        }
        return FaceLandmarks(interleaved: values)
    }

    /// The landmarks of each frame from per-frame files in `folder`: for a frame named
    /// `synth_2.png` (or `synth_2`), the file `synth_2.txt`.
    ///
    /// - Throws: ``LandmarksError/missingFrame(path:frame:)`` naming the first frame without a file.
    package static func readFolder(
        _ folder: URL, frames: [String], limits: ReaderLimits = .standard
    ) throws -> [FaceLandmarks] {
        try frames.map { frame in
            let url = folder.appendingPathComponent(stem(frame) + ".txt")
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw LandmarksError.missingFrame(path: url.path, frame: frame)
            }
            return try readPoints(url, limits: limits)
        }
    }

    /// Writes a per-frame file: 68 lines `x y`, decimals as Swift prints them (shortest
    /// round-tripping form), or integers truncated toward zero when `precise` is false.
    package static func writePoints(_ landmarks: FaceLandmarks, to url: URL, precise: Bool = true) throws {
        let text = landmarks.points.map { "\(format($0.x, precise)) \(format($0.y, precise))\n" }.joined()
        try write(text, to: url)
    }

    // MARK: Table

    /// One line of a landmark table.
    package struct Entry: Sendable, Equatable {
        /// The frame's file name as written (`000001.png`).
        package var frame: String
        /// Its landmarks.
        package var landmarks: FaceLandmarks

        /// An entry for `frame`.
        package init(frame: String, landmarks: FaceLandmarks) {
            self.frame = frame
            self.landmarks = landmarks
        }
    }

    /// The entries of a table file, in file order (blank lines ignored).
    package static func readTable(_ url: URL, limits: ReaderLimits = .standard) throws -> [Entry] {
        try parseTable(try readText(url, limits: limits), path: url.path, limits: limits)
    }

    /// The entries of landmark table text; `path` names it in errors.
    package static func parseTable(_ text: String, path: String, limits: ReaderLimits = .standard) throws -> [Entry] {
        var entries: [Entry] = []
        var seen = Set<String>()
        let limit = Float(limits.maximumLandmarkCoordinate)
        for (index, line) in try lines(of: text, path: path).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let name = fields.first else { continue }
            let pairs = fields.dropFirst()
            guard pairs.count == FaceLandmarks.count else {
                throw LandmarksError.wrongPointCount(path: path, line: index + 1, found: pairs.count)
            }
            var values: [Float] = []
            values.reserveCapacity(2 * FaceLandmarks.count)
            for pair in pairs {
                let parts = pair.split(separator: "_", omittingEmptySubsequences: false)
                guard parts.count == 2 else {
                    throw LandmarksError.unparsableNumber(path: path, line: index + 1, text: String(pair.prefix(60)))
                }
                values.append(try number(parts[0], path: path, line: index + 1, limit: limit))
                values.append(try number(parts[1], path: path, line: index + 1, limit: limit))
            }
            let frame = String(name)
            guard seen.insert(frame).inserted else {
                throw LandmarksError.duplicateFrame(path: path, line: index + 1, frame: frame)
            }
            entries.append(Entry(frame: frame, landmarks: FaceLandmarks(interleaved: values)))
        }
        guard !entries.isEmpty else { throw LandmarksError.empty(path: path) }
        return entries
    }

    /// The landmarks of each of `frames` from table `entries` read from `path`. A frame
    /// matches an entry with the same file name or the same name without extension
    /// (`synth_2.png` matches `synth_2.png` and `synth_2.jpg`).
    ///
    /// - Throws: ``LandmarksError/missingFrame(path:frame:)`` naming the first frame without
    ///   an entry.
    package static func landmarks(for frames: [String], in entries: [Entry], path: String) throws
        -> [FaceLandmarks]
    {
        var byName: [String: FaceLandmarks] = [:]
        var byStem: [String: FaceLandmarks] = [:]
        for entry in entries {
            byName[entry.frame] = entry.landmarks
            byStem[stem(entry.frame)] = byStem[stem(entry.frame)] ?? entry.landmarks
        }
        return try frames.map { frame in
            guard let found = byName[frame] ?? byStem[stem(frame)] else {
                throw LandmarksError.missingFrame(path: path, frame: frame)
            }
            return found
        }
    }

    /// Writes a table: one line `frame x_y x_y ...` per entry. With `precise == false` each
    /// value is `int(v)` (truncated toward zero), as the original's preprocessing writes them;
    /// otherwise the shortest decimal that reads back to the same `Float`.
    package static func writeTable(_ entries: [Entry], to url: URL, precise: Bool = false) throws {
        var text = ""
        for entry in entries {
            text += entry.frame
            for p in entry.landmarks.points {
                text += " \(format(p.x, precise))_\(format(p.y, precise))"
            }
            text += "\n"
        }
        try write(text, to: url)
    }

    // MARK: Helpers

    static func stem(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    static func format(_ v: Float, _ precise: Bool) -> String {
        if precise { return "\(v)" }
        guard v.isFinite else { return "0" }
        return String(Int(v.rounded(.towardZero)))
    }

    /// The lines of `text`: LF, CRLF and CR all end a line (as Python's universal newlines
    /// read them); a leading byte-order mark is skipped. A NUL or any other control character
    /// but tab is refused naming its line (C number parsing would stop at a NUL silently).
    static func lines(of text: String, path: String) throws -> [Substring] {
        var body = Substring(text)
        if body.unicodeScalars.first == "\u{FEFF}" { body = body.dropFirst() }
        let lines = body.split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        for (index, line) in lines.enumerated() {
            if let bad = line.unicodeScalars.first(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) {
                throw LandmarksError.controlCharacter(path: path, line: index + 1, code: bad.value)
            }
        }
        return lines
    }

    static func number(_ text: Substring, path: String, line: Int, limit: Float) throws -> Float {
        guard let v = Float(text) else {
            throw LandmarksError.unparsableNumber(path: path, line: line, text: String(text.prefix(60)))
        }
        guard v.isFinite else {
            throw LandmarksError.nonFinite(path: path, line: line, text: String(text.prefix(60)))
        }
        guard abs(v) <= limit else {
            throw LandmarksError.implausibleCoordinate(path: path, line: line, value: v, limit: Int(limit))
        }
        return v
    }

    /// The file's text, read up to ``ReaderLimits/maximumLandmarksFileBytes`` (a longer
    /// file, or an endless device, is refused without reading past the limit).
    static func readText(_ url: URL, limits: ReaderLimits) throws -> String {
        let limit = limits.maximumLandmarksFileBytes
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw LandmarksError.unreadable(path: url.path, reason: SystemErrorText.reason(error))
        }
        guard data.count <= limit else {
            throw LandmarksError.unreadable(
                path: url.path, reason: "file exceeds the limit of \(limit) bytes (DIFFDUB_MAX_LANDMARKS_BYTES)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LandmarksError.unreadable(path: url.path, reason: "not UTF-8 text")
        }
        return text
    }

    static func write(_ text: String, to url: URL) throws {
        do {
            try AtomicFile.write(Data(text.utf8), to: url)
        } catch {
            throw LandmarksError.unreadable(path: url.path, reason: "cannot write: \(SystemErrorText.reason(error))")
        }
    }
}
