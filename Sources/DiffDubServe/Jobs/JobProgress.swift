import DiffDubCore

/// How far the current phase of a job is, as the API reports it: `completed` of `total` units
/// (frames while rendering), the denoising `step` of `steps` of the current frame, and the
/// estimated seconds left of the phase.
public struct JobProgress: Sendable, Codable, Equatable {
    /// The library's stage (`loading models`, `face detection`, `rendering`, `writing`, ...).
    public var stage: String?
    /// Units done.
    public var completed: Int
    /// Units in all.
    public var total: Int
    /// The denoising step of the frame being rendered.
    public var step: Int?
    /// The denoising steps of a frame.
    public var steps: Int?
    /// Estimated seconds left in this phase.
    public var etaSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case stage, completed, total, step, steps
        case etaSeconds = "eta_s"
    }

    /// No progress yet.
    public static let none = JobProgress(stage: nil, completed: 0, total: 0, step: nil, steps: nil, etaSeconds: nil)

    /// The progress of `report`; the estimate counts only the units done since `baseline`
    /// (the stage's first report: frames a resumed job had already written cost no time).
    init(_ report: ProgressReport, baseline: Int = 0) {
        stage = report.stage.rawValue
        completed = report.completed
        total = report.total
        step = report.step
        steps = report.stepCount
        let done = report.fractionCompleted - Double(baseline)
        etaSeconds =
            done > 0 ? ((report.elapsed / done * max(0, Double(report.total) - report.fractionCompleted)) * 10).rounded() / 10
            : nil
    }

    init(stage: String?, completed: Int, total: Int, step: Int?, steps: Int?, etaSeconds: Double?) {
        self.stage = stage
        self.completed = completed
        self.total = total
        self.step = step
        self.steps = steps
        self.etaSeconds = etaSeconds
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stage, forKey: .stage)
        try container.encode(completed, forKey: .completed)
        try container.encode(total, forKey: .total)
        try container.encode(step, forKey: .step)
        try container.encode(steps, forKey: .steps)
        try container.encode(etaSeconds, forKey: .etaSeconds)
    }
}
