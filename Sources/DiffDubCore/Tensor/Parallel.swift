import Dispatch
import Foundation

/// How many threads the element-wise and normalisation kernels use. BLAS has its own pool;
/// see ``BLAS``. Defaults to the number of active processors.
public enum Parallelism {
    nonisolated(unsafe) private static var _threadCount = ProcessInfo.processInfo.activeProcessorCount

    /// Threads used by ``parallelFor(_:minimumChunk:_:)``; at least 1. Setting changes the
    /// process-wide count; ``threadCountInTask`` overrides it for one task.
    public static var threadCount: Int {
        get { max(1, threadCountInTask ?? _threadCount) }
        set { _threadCount = max(1, newValue) }
    }

    /// A task-local thread count (`Parallelism.$threadCountInTask.withValue(3) { ... }`), read by
    /// the kernels started from that task instead of the process-wide ``threadCount``; nil
    /// (default) follows the process-wide count.
    @TaskLocal public static var threadCountInTask: Int? = nil
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
