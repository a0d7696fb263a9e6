import Foundation

/// The stages of a dubbing run (and of the tools built from its parts), in the order a run
/// passes through them.
public enum ProgressStage: String, Sendable, Codable, CaseIterable {
    /// Reading checkpoints and binding the models.
    case loadingModels = "loading models"
    /// Hubert features computed from the audio.
    case speechFeatures = "speech features"
    /// FaceBoxesV2 over the frames.
    case faceDetection = "face detection"
    /// PIPNet landmarks of the detected faces.
    case faceLandmarks = "face landmarks"
    /// The semantic encoder on the reference frames' lip crops.
    case referenceLatents = "reference latents"
    /// Stage 2: lip latents from the speech features.
    case lipLatents = "lip latents"
    /// DDIM (or DPM-Solver++) inpainting of every output frame.
    case rendering
    /// Pasting rendered frames back and encoding the output.
    case writing
    /// Copying the frames of separately rendered slices into one output.
    case joining
}

/// A progress event of a long-running job, delivered to a ``ProgressHandler``. The library
/// never prints; the CLI turns these into a status line.
///
/// While rendering, a report comes after every denoising step: ``completed`` frames are done
/// and ``step`` of ``stepCount`` steps of the next ones.
public struct ProgressReport: Sendable, Equatable {
    /// What is being done.
    public var stage: ProgressStage
    /// Units (frames, for most stages) done so far.
    public var completed: Int
    /// Units in all.
    public var total: Int
    /// Denoising steps done of the unit(s) in progress, while rendering.
    public var step: Int?
    /// Denoising steps per unit, while rendering.
    public var stepCount: Int?
    /// Seconds since the stage started.
    public var elapsed: Double

    /// A report of `completed` out of `total` units (and `step` of `stepCount` steps of the
    /// next) after `elapsed` seconds.
    package init(
        stage: ProgressStage, completed: Int, total: Int, step: Int? = nil, stepCount: Int? = nil, elapsed: Double
    ) {
        self.stage = stage
        self.completed = completed
        self.total = total
        self.step = step
        self.stepCount = stepCount
        self.elapsed = elapsed
    }

    /// Units done, counting the steps of the unit in progress as a fraction of it.
    public var fractionCompleted: Double {
        var done = Double(completed)
        if let step, let stepCount, stepCount > 0, completed < total { done += Double(step) / Double(stepCount) }
        return done
    }

    /// Mean seconds per unit so far, or `nil` before any progress.
    package var secondsPerUnit: Double? {
        fractionCompleted > 0 ? elapsed / fractionCompleted : nil
    }

    /// Estimated seconds to completion at the mean rate so far, or `nil` before any progress.
    public var estimatedRemaining: Double? {
        secondsPerUnit.map { $0 * max(0, Double(total) - fractionCompleted) }
    }
}

/// Receives progress reports; called on the thread doing the work.
///
/// Its answer decides whether the run goes on: ``ProgressAction/stop`` ends it at the next
/// denoising step (or frame, or stage), as cancelling its task does: the run throws
/// `CancellationError` and removes its partial output.
///
/// ```swift
/// try await session.render(plan, from: .clip(source), into: sink) { report in
///     print(report.stage, report.completed, report.total)
///     return report.completed >= 10 ? .stop : .proceed
/// }
/// ```
public typealias ProgressHandler = @Sendable (ProgressReport) -> ProgressAction

/// What a ``ProgressHandler`` answers: go on, or stop the run.
public enum ProgressAction: Sendable, Hashable {
    /// Go on.
    case proceed
    /// Stop at the next denoising step, frame or stage; the run throws `CancellationError` and
    /// removes its partial output.
    case stop
}

/// Measures a stage's elapsed time and emits ``ProgressReport``s to a handler.
package struct ProgressTracker: Sendable {
    private let stage: ProgressStage
    private let total: Int
    private let handler: ProgressHandler?
    private let started: Date

    /// Starts timing `stage` with `total` units; reports go to `handler` (none if `nil`).
    ///
    /// - Throws: `CancellationError` when the handler answers ``ProgressAction/stop`` to the
    ///   first report.
    package init(stage: ProgressStage, total: Int, handler: ProgressHandler?) throws {
        self.stage = stage
        self.total = total
        self.handler = handler
        self.started = Date()
        if handler?(ProgressReport(stage: stage, completed: 0, total: total, elapsed: 0)) == .stop {
            throw CancellationError()
        }
    }

    /// Reports `completed` units done (and `step` of `stepCount` steps of the next).
    ///
    /// - Throws: `CancellationError` when the handler answers ``ProgressAction/stop``.
    package func report(completed: Int, step: Int? = nil, stepCount: Int? = nil) throws {
        let report = ProgressReport(
            stage: stage, completed: completed, total: total, step: step, stepCount: stepCount,
            elapsed: Date().timeIntervalSince(started))
        if handler?(report) == .stop { throw CancellationError() }
    }
}
