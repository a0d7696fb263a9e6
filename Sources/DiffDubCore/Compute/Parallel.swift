import Dispatch
import Foundation

/// How many threads the kernels use: the ``ComputeSettings/threads`` of the run in force on
/// this task or thread (all active processors outside any run).
public enum Parallelism {
    /// Threads used by ``parallelFor(_:minimumChunk:_:)`` and the split matrix products; at
    /// least 1.
    public static var threadCount: Int { ComputeContext.current.threads }
}

/// Splits `0..<count` into contiguous chunks and runs `body` on each, concurrently when
/// there is enough work (at least `minimumChunk` items per chunk) and more than one thread.
@inlinable
public func parallelFor(
    _ count: Int, minimumChunk: Int = 4096, _ body: (Range<Int>) -> Void
) {
    guard count > 0 else { return }
    let threads = Parallelism.threadCount
    let chunks = min(threads, max(1, count / max(1, minimumChunk)))
    if chunks <= 1 {
        body(0..<count)
        return
    }
    withoutActuallyEscaping(body) { body in
        // concurrentPerform returns only after every chunk ran, so `body` outlives its uses;
        // chunks touch disjoint ranges, which is what makes sharing it safe.
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = count * chunk / chunks
            let end = count * (chunk + 1) / chunks
            body(start..<end)
        }
    }
}
