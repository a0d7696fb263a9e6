/// Where a job is: waiting, one of the three phases of a job folder (prepare, render, finish),
/// or one of the three ends.
public enum JobState: String, Sendable, Codable, CaseIterable {
    /// Waiting for a worker (also a job interrupted by a stop or a crash, until it runs again).
    case queued
    /// Models, faces, speech features and latents: the job folder is being prepared.
    case preparing
    /// The frames are being rendered into the job folder.
    case rendering
    /// The frames are pasted back and the video written.
    case finishing
    /// The output is complete and downloadable.
    case done
    /// Stopped by an error (see the job's `error`).
    case failed
    /// Stopped by `POST /api/jobs/{id}/cancel`.
    case cancelled

    /// Whether the job will not change any more.
    public var isFinal: Bool { self == .done || self == .failed || self == .cancelled }
}
