import Foundation

/// A progress event of a long-running job (dubbing, encoding references), delivered to a
/// ``ProgressHandler``. The library never prints; the CLI turns these into a status line.
public struct ProgressReport: Sendable, Equatable {
    /// What is being done, e.g. "rendering" or "reference latents".
    public var stage: String
    /// Units done so far.
    public var completed: Int
    /// Units in all.
    public var total: Int
    /// Seconds since the stage started.
    public var elapsed: Double

    /// A report of `completed` out of `total` units after `elapsed` seconds.
    public init(stage: String, completed: Int, total: Int, elapsed: Double) {
        self.stage = stage
        self.completed = completed
        self.total = total
        self.elapsed = elapsed
    }

    /// Mean seconds per unit so far, or `nil` before the first unit.
    public var secondsPerUnit: Double? {
        completed > 0 ? elapsed / Double(completed) : nil
    }

    /// Estimated seconds to completion at the mean rate so far, or `nil` before the first unit.
    public var estimatedRemaining: Double? {
        secondsPerUnit.map { $0 * Double(max(0, total - completed)) }
    }
}

/// Receives progress reports; called on the thread doing the work.
public typealias ProgressHandler = @Sendable (ProgressReport) -> Void

/// Measures a stage's elapsed time and emits ``ProgressReport``s to a handler.
public struct ProgressTracker: Sendable {
    private let stage: String
    private let total: Int
    private let handler: ProgressHandler?
    private let started: Date

    /// Starts timing `stage` with `total` units; reports go to `handler` (none if `nil`).
    public init(stage: String, total: Int, handler: ProgressHandler?) {
        self.stage = stage
        self.total = total
        self.handler = handler
        self.started = Date()
        handler?(ProgressReport(stage: stage, completed: 0, total: total, elapsed: 0))
    }

    /// Reports `completed` units done.
    public func report(completed: Int) {
        handler?(
            ProgressReport(
                stage: stage, completed: completed, total: total,
                elapsed: Date().timeIntervalSince(started)))
    }
}
