import Foundation
import Synchronization

/// Runs `body` on a thread of its own (16 MiB stack, enough for the models' recursion), so the
/// calling task is not blocked while the kernels work; cancelling the calling task makes the
/// `checkCancellation` handed to `body` throw `CancellationError` at its next call.
///
/// This is the one bridge between Swift concurrency and the synchronous model code: every
/// `async` entry point of the pipeline (``DubbingSession``, the job folders of DiffDubIO) goes
/// through it. Task-locals do not cross to the new thread, so everything `body` needs is passed
/// to it as values.
package func runOnOwnThread<T: Sendable>(
    _ body: @escaping @Sendable (_ checkCancellation: @escaping @Sendable () throws -> Void) throws -> T
) async throws -> T {
    try Task.checkCancellation()
    let flag = CancellationFlag()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let thread = Thread {
                continuation.resume(with: Result { try body { if flag.isCancelled { throw CancellationError() } } })
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
    } onCancel: {
        flag.cancel()
    }
}

/// Set from a task's cancellation handler, read by the working thread.
package final class CancellationFlag: Sendable {
    private let cancelled = Mutex(false)

    /// A flag that is not set.
    package init() {}

    /// Whether ``cancel()`` was called.
    package var isCancelled: Bool { cancelled.withLock { $0 } }

    /// Marks the run cancelled.
    package func cancel() { cancelled.withLock { $0 = true } }
}
