import DiffDubCore
import Foundation

extension VideoProbe {
    /// The real timing of the first video stream and the frames its decoding damaged, from one
    /// decoding pass that converts no pixels: `ffmpeg -threads 1 -i FILE -vf showinfo
    /// -fps_mode passthrough -f null -` with every message tagged by its level.
    ///
    /// Each decoded frame's line gives its presentation time. A frame is counted damaged when
    /// ffmpeg says it was decoded corrupt ("corrupt decoded frame": the decoder concealed
    /// errors in it), or could not be decoded at all, or when a decoder's error messages come
    /// between two frames without either (one decoding thread keeps messages next to their
    /// frames).
    ///
    /// - Throws: ``VideoError/decodeFailed(path:reason:)`` when ffmpeg fails.
    package static func timing(_ url: URL) throws -> StreamTiming {
        let tool = try RunningTool(
            "ffmpeg",
            [
                "-hide_banner", "-nostats", "-nostdin", "-loglevel", "level+info", "-threads", "1", "-i", url.path,
                "-map", "0:v:0", "-vf", "showinfo=checksum=0", "-fps_mode", "passthrough", "-f", "null", "-",
            ], input: false, output: false)
        let (ok, message, log) = try tool.finish { try StreamTimingLog(reading: $0) }
        guard ok else { throw VideoError.decodeFailed(path: url.path, reason: message) }
        return log.timing
    }
}

/// ffmpeg's level-tagged messages of a `showinfo` decoding pass, read line by line.
///
/// Between two frame lines, each "corrupt decoded frame" warning is a damaged frame and each
/// "Error while decoding stream" a packet that gave no frame; other error messages there
/// (a decoder's own) count as one damaged frame when neither was said.
package struct StreamTimingLog {
    private(set) var timestamps: [Double] = []
    private(set) var damagedFrames = 0
    private var corrupt = 0
    private var dropped = 0
    private var otherErrors = false

    /// The timing the messages describe.
    package var timing: StreamTiming {
        StreamTiming(timestamps: timestamps, damagedFrames: damagedFrames + pendingDamage)
    }

    private var pendingDamage: Int { max(corrupt + dropped, otherErrors ? 1 : 0) }

    /// Reads the messages of the file at `url` in chunks (a long clip logs a line per frame).
    package init(reading url: URL) throws {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var pending = Data()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending.append(chunk)
            guard let last = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            for line in pending[..<last].split(separator: UInt8(ascii: "\n")) { add(String(decoding: line, as: UTF8.self)) }
            pending = Data(pending[(last + 1)...])
        }
        if !pending.isEmpty { add(String(decoding: pending, as: UTF8.self)) }
    }

    /// Reads the messages of `text`.
    package init(text: String) {
        for line in text.split(whereSeparator: \.isNewline) { add(String(line)) }
    }

    /// One message line.
    package mutating func add(_ line: String) {
        if line.contains("Parsed_showinfo"), line.contains(" n:"), let range = line.range(of: "pts_time:") {
            let value = line[range.upperBound...].prefix { !$0.isWhitespace }
            if let time = Double(value), time.isFinite { timestamps.append(time) }
            damagedFrames += pendingDamage
            (corrupt, dropped, otherErrors) = (0, 0, false)
        } else if line.contains("corrupt decoded frame") {
            corrupt += 1
        } else if line.contains("[error]") || line.contains("[fatal]") {
            if line.contains("Error while decoding stream") { dropped += 1 } else { otherErrors = true }
        }
    }
}
