import DiffDubCore
import Foundation

/// Runs `body` on a thread of its own (16 MiB stack, as a dubbing run), so the calling task
/// is not blocked; cancelling the calling task makes the `checkCancellation` handed to `body`
/// throw `CancellationError` at its next call.
func runOnOwnThread<T: Sendable>(
    _ body: @escaping @Sendable (_ checkCancellation: @escaping () throws -> Void) throws -> T
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
