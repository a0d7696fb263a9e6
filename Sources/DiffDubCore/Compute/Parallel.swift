import Dispatch
import Foundation

/// How many threads the kernels use: the ``ComputeSettings/threads`` of the run in force on
/// this task or thread (all active processors outside any run).
package enum Parallelism {
    /// Threads used by ``parallelFor(_:minimumChunk:_:)`` and the split matrix products; at
    /// least 1.
    package static var threadCount: Int { ComputeContext.current.threads }
}

/// Splits `0..<count` into contiguous chunks and runs `body` on each, concurrently when
/// there is enough work (at least `minimumChunk` items per chunk) and more than one thread.
///
/// The chunks are `min(threads, count / minimumChunk)` ranges of (nearly) equal length, the same
/// whichever threads run them: inside a ``ComputeSettings/run(_:)`` the run's own kernel
/// threads (``WorkerPool``, which spin between jobs), elsewhere, and for a `parallelFor` inside
/// a chunk, Dispatch's `concurrentPerform`.
package func parallelFor(
    _ count: Int, minimumChunk: Int = 4096, _ body: (Range<Int>) -> Void
) {
    guard count > 0 else { return }
    let context = ComputeContext.current
    let chunks = min(context.threads, max(1, count / max(1, minimumChunk)))
    if chunks <= 1 {
        body(0..<count)
        return
    }
    let chunk = { (index: Int) in body(count * index / chunks..<count * (index + 1) / chunks) }
    if let workers = context.workers, workers.run(chunks: chunks, chunk) { return }
    withoutActuallyEscaping(chunk) { chunk in
        // concurrentPerform returns only after every chunk ran, so `chunk` outlives its uses;
        // chunks touch disjoint ranges, which is what makes sharing it safe.
        nonisolated(unsafe) let chunk = chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { index in chunk(index) }
    }
}
