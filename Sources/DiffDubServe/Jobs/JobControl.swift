import Synchronization

/// The stop switch of a running job, read by its progress handler at every step.
final class JobControl: Sendable {
    /// Why a job is asked to stop.
    enum StopReason: Sendable {
        /// `POST /cancel`: the job ends `cancelled`.
        case cancel
        /// `DELETE`: the job's files are removed once it has stopped.
        case delete
        /// The server stops: the job stays resumable and runs again at the next start.
        case shutdown
    }

    private let reason = Mutex<StopReason?>(nil)

    /// Why the job should stop, if it should.
    var stopReason: StopReason? { reason.withLock { $0 } }

    /// Asks the job to stop at its next step (a delete wins over a cancel or a shutdown).
    func stop(_ why: StopReason) {
        reason.withLock { current in
            if current != .delete { current = why }
        }
    }
}
