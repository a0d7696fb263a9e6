import DiffDubCore
import Foundation

/// A folder of numbered frame images (`synth_1.png`, `synth_2.png`, ..., `synth_10.png`, or
/// `00001.png`, ...), listed in natural order: names compare by their text with runs of
/// digits compared as numbers, so `synth_2` comes before `synth_10`, as frame-extraction
/// tools number them.
package struct FrameFolder: Sendable {
    /// The folder.
    package let url: URL
    /// The frame files in natural order.
    package let frames: [URL]
    /// The bounds its images are decoded within.
    package let limits: ReaderLimits

    /// Lists the files ending in `.fileExtension` (case-insensitive) in `url`, hidden files
    /// excluded; its images are decoded within `limits`.
    ///
    /// When every name is the same text around one number (`synth_7.png`, `000123.png`), the
    /// numbers must run without a gap or a repeat: a missing frame would shift the speech
    /// against the video from there on. The step is the smallest difference between
    /// neighbours (1 for frame numbers; timestamps such as 0, 512, 1024 step evenly too); a gap
    /// is a difference that is a larger multiple of it (irregular differences are accepted).
    ///
    /// - Parameter allowingGaps: accept gaps and repeats in the numbering.
    /// - Throws: ``ImageError/noFrames(folder:fileExtension:)`` when there are none,
    ///   ``ImageError/missingFrame(folder:name:)`` naming the first number missing,
    ///   ``ImageError/duplicateFrameNumber(folder:first:second:)`` for two names of one number,
    ///   ``ImageError/unreadableFolder(path:reason:)`` when the folder cannot be listed.
    package init(
        _ url: URL, fileExtension: String = "png", allowingGaps: Bool = false, limits: ReaderLimits = .standard
    ) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw ImageError.unreadableFolder(path: url.path, reason: SystemErrorText.reason(error))
        }
        let suffix = "." + fileExtension.lowercased()
        let frameNames = names.filter { !$0.hasPrefix(".") && $0.lowercased().hasSuffix(suffix) }
            .sorted(by: FrameFolder.naturallyPrecedes)
        guard !frameNames.isEmpty else {
            throw ImageError.noFrames(folder: url.path, fileExtension: fileExtension)
        }
        if !allowingGaps { try Self.checkNumbering(frameNames, folder: url.path) }
        self.url = url
        self.frames = frameNames.map { url.appendingPathComponent($0) }
        self.limits = limits
    }

    /// Throws when `names` (sorted naturally) are one pattern around a number and the numbers
    /// skip or repeat one.
    static func checkNumbering(_ names: [String], folder: String) throws {
        guard names.count > 1 else { return }
        var pattern: (prefix: Substring, suffix: Substring)?
        var numbered: [(number: Int, digits: Substring, name: String)] = []
        for name in names {
            // The last run of ASCII digits in the name.
            guard let end = name.lastIndex(where: { $0.isASCII && $0.isNumber }) else { return }
            var start = end
            while start > name.startIndex, name[name.index(before: start)].isASCII, name[name.index(before: start)].isNumber {
                start = name.index(before: start)
            }
            let digits = name[start...end]
            let prefix = name[..<start]
            let suffix = name[name.index(after: end)...]
            if let pattern, pattern.prefix != prefix || pattern.suffix.lowercased() != suffix.lowercased() { return }
            pattern = (prefix, suffix)
            guard digits.count <= 18, let number = Int(digits) else { return }
            numbered.append((number, digits, name))
        }
        guard let pattern else { return }
        let pairs = zip(numbered, numbered.dropFirst())
        for (previous, next) in pairs where next.number == previous.number {
            throw ImageError.duplicateFrameNumber(folder: folder, first: previous.name, second: next.name)
        }
        // The step: 1 for frame numbers, more for names carrying timestamps (ffmpeg's
        // `-frame_pts`); irregular steps (variable frame rate timestamps) cannot show a gap.
        let steps = pairs.map { $0.1.number - $0.0.number }
        guard let step = steps.min(), step > 0, steps.allSatisfy({ $0 % step == 0 }) else { return }
        for (previous, next) in pairs {
            if next.number != previous.number + step {
                var digits = String(previous.number + step)
                if previous.digits.count > digits.count && previous.digits.hasPrefix("0") {
                    digits = String(repeating: "0", count: previous.digits.count - digits.count) + digits
                }
                throw ImageError.missingFrame(folder: folder, name: "\(pattern.prefix)\(digits)\(pattern.suffix)")
            }
        }
    }

    /// Number of frames.
    package var count: Int { frames.count }

    /// The file names without their extension (`synth_2`), in order: the keys that match
    /// per-frame landmark files.
    package var frameNames: [String] {
        frames.map { $0.deletingPathExtension().lastPathComponent }
    }

    /// Frame `index` decoded as RGB.
    package func image(at index: Int) throws -> RGBImage {
        try PNGFile.read(frames[index], limits: limits)
    }

    /// Natural order: digit runs compare as numbers (then by length, so `01` follows `1`),
    /// everything else by Unicode scalar value.
    package static func naturallyPrecedes(_ a: String, _ b: String) -> Bool {
        let (x, y) = (chunks(a), chunks(b))
        for (p, q) in zip(x, y) where p != q {
            switch (p, q) {
            case (.number(let m, let ml), .number(let n, let nl)):
                if m != n { return m.count != n.count ? m.count < n.count : m < n }
                return ml < nl
            case (.number, .text): return true
            case (.text, .number): return false
            case (.text(let s), .text(let t)): return s < t
            }
        }
        return x.count < y.count
    }

    private enum Chunk: Equatable {
        /// A digit run without leading zeros, and the run's full length.
        case number(String, Int)
        case text(String)
    }

    private static func chunks(_ s: String) -> [Chunk] {
        var out: [Chunk] = []
        var current = ""
        var inDigits = false
        func flush() {
            guard !current.isEmpty else { return }
            if inDigits {
                let trimmed = String(current.drop { $0 == "0" })
                out.append(.number(trimmed, current.count))
            } else {
                out.append(.text(current))
            }
            current = ""
        }
        for ch in s {
            let digit = ch.isASCII && ch.isNumber
            if digit != inDigits {
                flush()
                inDigits = digit
            }
            current.append(ch)
        }
        flush()
        return out
    }
}
