import DiffDubIO
import Foundation

/// Turns ``DownloadProgress`` reports into a progress bar on standard error:
/// `name [=====>    ] 42%  18.9/45.0 MB  3.1 MB/s  ETA 0:08`. On a terminal the line is
/// redrawn in place; otherwise one line is printed every few seconds, plus the last.
final class DownloadProgressPrinter: @unchecked Sendable {
    private let interactive = isatty(STDERR_FILENO) != 0
    private var lastPrinted = Date.distantPast
    private let lock = NSLock()

    /// A handler printing to standard error, or `nil` when `quiet`.
    static func handler(quiet: Bool) -> DownloadProgressHandler? {
        guard !quiet else { return nil }
        let printer = DownloadProgressPrinter()
        return { printer.show($0) }
    }

    func show(_ report: DownloadProgress) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard interactive || report.isFinished || now.timeIntervalSince(lastPrinted) >= 5 else { return }
        lastPrinted = now
        let line = Self.line(for: report)
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line + (report.isFinished ? "\n" : "")).utf8))
        } else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    static func line(for report: DownloadProgress) -> String {
        var line = report.file.fileName
        if let fraction = report.fraction {
            let width = 24
            let filled = Int((fraction * Double(width)).rounded(.down))
            let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "")
            line += " [" + bar.padding(toLength: width, withPad: " ", startingAt: 0) + "]"
            line += String(format: " %3d%%", Int((fraction * 100).rounded(.down)))
        }
        line += "  " + ByteText.size(report.bytesReceived)
        if let total = report.totalBytes { line += "/" + ByteText.size(total) }
        if let speed = report.bytesPerSecond { line += "  " + ByteText.size(Int64(speed)) + "/s" }
        if report.isFinished {
            line += "  " + ProgressPrinter.duration(report.elapsed) + " in all"
        } else if let remaining = report.estimatedRemaining {
            line += "  ETA " + ProgressPrinter.duration(remaining)
        }
        return line
    }
}

/// Byte counts for people: 45.0 MB (powers of 1000, as download tools print).
enum ByteText {
    static func size(_ bytes: Int64) -> String {
        let value = Double(bytes)
        switch value {
        case ..<1000: return "\(bytes) B"
        case ..<1e6: return String(format: "%.1f kB", value / 1e3)
        case ..<1e9: return String(format: "%.1f MB", value / 1e6)
        default: return String(format: "%.2f GB", value / 1e9)
        }
    }
}
