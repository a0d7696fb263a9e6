import Foundation

/// How a model run uses the machine: threads, reused activation memory and the allocator.
/// Nothing here changes a result (what does is in ``DubbingOptions``, such as its
/// ``DubbingOptions/precision``).
///
/// A value handed to the thing that runs models (`Renderer.render(frames:reference:masks:latents:noise:steps:sampler:compute:progress:)`,
/// a dubbing request), never a process-wide switch: two runs in one process can use different
/// settings at the same time. The defaults are what the command-line tool uses, so a program
/// that does nothing gets the same speed and memory:
///
/// | setting | default | why |
/// |---|---|---|
/// | ``threads`` | active processors | element-wise kernels and the split matrix products, on the run's own kernel threads (`threads - 1` besides the caller's, at most one per processor, which spin 2 ms between jobs, as OpenMP runtimes do) |
/// | `bufferPoolBytes` | 1 GiB | a diffusion step allocates the same activations as the step before; reusing them saves page faults (peak 1.7 GB against 2.4 GB per released-size UNet call) |
/// | `keepsLargeBlocksInHeap` | true | glibc keeps blocks of 32 MiB and more in its heap instead of mapping each one (`x * 0.5` on `[1, 128, 256, 256]`: 49 ms without, 3.3 ms with) |
///
/// OpenBLAS always runs single-threaded: large products are split across ``threads`` by the
/// kernels themselves, so no OpenBLAS worker spins between products and each run keeps to its
/// own thread count.
public struct ComputeSettings: Sendable, Hashable, Codable {
    /// Threads of the kernels (at least 1).
    public var threads: Int
    /// Bytes of freed activation memory a run keeps for reuse (0: none).
    package var bufferPoolBytes: Int
    /// Whether glibc is asked, once per process, to keep large freed blocks in its heap
    /// (`mallopt`; a setting of the C library, harmless to other code; no effect elsewhere).
    package var keepsLargeBlocksInHeap: Bool

    /// The default pool size: 1 GiB, more than one released-size UNet call at 256 x 256
    /// frees per step.
    public static let defaultBufferPoolBytes = 1 << 30

    /// Settings with the given values; the defaults are the tuned ones.
    public init(
        threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        bufferPoolBytes: Int = ComputeSettings.defaultBufferPoolBytes, keepsLargeBlocksInHeap: Bool = true
    ) {
        self.threads = max(1, threads)
        self.bufferPoolBytes = max(0, bufferPoolBytes)
        self.keepsLargeBlocksInHeap = keepsLargeBlocksInHeap
    }

    private enum CodingKeys: String, CodingKey { case threads, bufferPoolBytes, keepsLargeBlocksInHeap }

    /// Reads settings; absent keys keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ComputeSettings()
        self.init(
            threads: try c.decodeIfPresent(Int.self, forKey: .threads) ?? defaults.threads,
            bufferPoolBytes: try c.decodeIfPresent(Int.self, forKey: .bufferPoolBytes) ?? defaults.bufferPoolBytes,
            keepsLargeBlocksInHeap: try c.decodeIfPresent(Bool.self, forKey: .keepsLargeBlocksInHeap)
                ?? defaults.keepsLargeBlocksInHeap)
    }

    /// Runs `body` with these settings: the kernels it calls on this thread or task use
    /// ``threads`` and one buffer pool of ``bufferPoolBytes`` that lives as long
    /// as the tensors allocated from it. The run's kernel threads start here and stop before it
    /// returns.
    package func run<Result>(_ body: () throws -> Result) rethrows -> Result {
        if keepsLargeBlocksInHeap { AllocatorTuning.keepLargeBlocksInHeap() }
        // Workers that spin must not outnumber the processors: with more threads than those,
        // the extra chunks are taken by whichever thread is free.
        let workerCount = min(threads, ProcessInfo.processInfo.activeProcessorCount) - 1
        let workers = workerCount > 0 ? WorkerPool(workers: workerCount) : nil
        defer { workers?.shutDown() }
        let context = ComputeContext(
            threads: threads, pool: bufferPoolBytes > 0 ? TensorBufferPool(capacityBytes: bufferPoolBytes) : nil,
            workers: workers)
        return try ComputeContext.$current.withValue(context) { try body() }
    }

    /// Runs `body` with the settings in force on this thread or task (a model call inside a
    /// run keeps the run's settings), or, outside any run, with these threads and a buffer pool
    /// for this call only: no kernel threads are started (``parallelFor(_:minimumChunk:_:)``
    /// uses Dispatch) and the allocator is left as it is, so a single model call outside a run
    /// changes nothing in the process.
    func runIfUnset<Result>(_ body: () throws -> Result) rethrows -> Result {
        if ComputeContext.current.isBound { return try body() }
        let context = ComputeContext(
            threads: threads, pool: bufferPoolBytes > 0 ? TensorBufferPool(capacityBytes: bufferPoolBytes) : nil,
            workers: nil)
        return try ComputeContext.$current.withValue(context) { try body() }
    }
}

/// The settings in force for the kernels of the current task or thread (bound by
/// ``ComputeSettings/run(_:)``): read by ``parallelFor(_:minimumChunk:_:)`` and by
/// ``TensorStorage`` for its buffer pool. Outside any run: all processors, no pool.
struct ComputeContext: Sendable {
    /// Kernel threads.
    let threads: Int
    /// Freed activation memory kept for reuse, if any.
    let pool: TensorBufferPool?
    /// The run's kernel threads besides the caller's (nil: one thread, or outside any run,
    /// where ``parallelFor(_:minimumChunk:_:)`` uses Dispatch).
    let workers: WorkerPool?
    /// Whether settings were bound (not the default outside any run).
    let isBound: Bool

    init(threads: Int, pool: TensorBufferPool?, workers: WorkerPool? = nil, isBound: Bool = true) {
        self.threads = max(1, threads)
        self.pool = pool
        self.workers = workers
        self.isBound = isBound
    }

    /// The context outside any run.
    static let unbound = ComputeContext(
        threads: ProcessInfo.processInfo.activeProcessorCount, pool: nil, isBound: false)

    /// The context of the current task or thread.
    @TaskLocal static var current = ComputeContext.unbound
}
