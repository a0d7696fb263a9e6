import DiffDubCore
import DiffDubIO
import Foundation

/// Turns ``ProgressReport``s into a status line on standard error: done/total, seconds per
/// unit and the estimated time left. On a terminal the line is redrawn in place; otherwise
/// one line is printed per report (at most one every few seconds, plus the last).
final class ProgressPrinter: @unchecked Sendable {
    private let interactive = isatty(STDERR_FILENO) != 0
    private var lastPrinted = Date.distantPast
    private let lock = NSLock()

    /// A handler printing to standard error, or `nil` when `quiet`.
    static func handler(quiet: Bool) -> ProgressHandler? {
        guard !quiet else { return nil }
        let printer = ProgressPrinter()
        return { report in
            printer.show(report)
            return .proceed
        }
    }

    /// Runs `request` as a task that Ctrl-C or SIGTERM cancels, printing its progress unless
    /// `quiet`.
    static func run(_ request: DubbingRequest, quiet: Bool) async throws -> DubbingSummary {
        let progress = handler(quiet: quiet)
        let task = Task { try await request.run(progress: progress) }
        return try await InterruptHandler.whileRunning(cancel: { task.cancel() }) { try await task.value }
    }

    func show(_ report: ProgressReport) {
        lock.lock()
        defer { lock.unlock() }
        let finished = report.completed >= report.total
        let now = Date()
        guard finished || now.timeIntervalSince(lastPrinted) >= (interactive ? 0.2 : 5) else { return }
        lastPrinted = now
        var line = "\(report.stage.rawValue): \(report.completed)/\(report.total)"
        if let step = report.step, let steps = report.stepCount, !finished { line += " (step \(step)/\(steps))" }
        if let perUnit = report.secondsPerUnit {
            line += String(format: ", %.2f s each", perUnit)
            if let remaining = report.estimatedRemaining, !finished {
                line += ", ETA " + Self.duration(remaining)
            } else {
                line += ", " + Self.duration(report.elapsed) + " in all"
            }
        }
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line + (finished ? "\n" : "")).utf8))
        } else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// Prints a warning line on standard error.
func warn(_ message: String) {
    FileHandle.standardError.write(Data(("warning: " + message + "\n").utf8))
}
