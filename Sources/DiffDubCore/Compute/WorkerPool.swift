import CCPUHints
import Foundation
import Synchronization

/// The kernel threads of one ``ComputeSettings/run(_:)``: `threads - 1` workers (no more than
/// the processors less one) that run the chunks of ``parallelFor(_:minimumChunk:_:)`` beside the
/// calling thread, and wait for the next job by spinning for ``spinDuration`` before they sleep.
///
/// Why not Dispatch's `concurrentPerform`: its workers park between jobs, and a UNet call has a
/// few hundred jobs of 0.1-30 ms. Waking a parked thread costs little on bare metal but a
/// virtual CPU that went idle has to be scheduled again by the host first: on a 2-core Zen 4
/// virtual machine a bf16 UNet step left each core idle 9-13 % of the time with Dispatch
/// (`perf`, steady-state steps). OpenMP runtimes (oneDNN, OpenVINO) spin for the same reason.
///
/// A job is a chunk count and a body; chunks are claimed one at a time from a shared word that
/// also holds the job's generation, so a worker that wakes late can only claim chunks of the
/// job it read, never of the next one. Which thread runs a chunk changes nothing in the
/// results: the chunks are the same ranges as with Dispatch.
///
/// One caller at a time: ``run(chunks:_:)`` returns false (and runs nothing) while another job
/// is in flight, e.g. a `parallelFor` inside a chunk, or two tasks sharing one run's settings;
/// the caller then uses Dispatch.
final class WorkerPool: @unchecked Sendable {
    /// How long an idle worker spins before it sleeps: longer than the serial gaps between the
    /// jobs of a model call (microseconds), short enough that a finished run costs nothing.
    static let spinDuration: Duration = .milliseconds(2)

    /// The job being shared out: generation << 32 | chunk count << 16 | next chunk.
    private let claims = Atomic<Int>(0)
    /// Chunks of the current job that have finished.
    private let finished = Atomic<Int>(0)
    /// Address of the current job's body (a `(Int) -> Void` on the caller's stack).
    private let body = Atomic<Int>(0)
    /// Workers waiting on ``wake``.
    private let sleepers = Atomic<Int>(0)
    /// Whether a caller owns the pool.
    private let busy = Atomic<Bool>(false)
    /// Set once, by ``shutDown()``.
    private let stopping = Atomic<Bool>(false)
    /// Where sleeping workers wait for a job or for the shutdown.
    private let wake = NSCondition()
    /// Signalled by each worker as it exits.
    private let exited = DispatchSemaphore(value: 0)
    /// The last generation posted (written by the owning caller only).
    private var generation = 0
    /// Worker threads (the calling thread is the pool's other thread).
    let workers: Int

    private static let chunkBits = 16
    private static let chunkMask = (1 << chunkBits) - 1

    /// Starts `workers` threads.
    init(workers: Int) {
        self.workers = max(0, workers)
        for index in 0..<self.workers {
            let thread = Thread { [self] in
                workerLoop()
                exited.signal()
            }
            thread.name = "diffdub-kernel-\(index + 1)"
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    /// Runs `chunk(i)` for every `i` in `0..<chunks` on the workers and the calling thread, and
    /// returns when all have finished; false (nothing run) when another job owns the pool.
    func run(chunks: Int, _ chunk: (Int) -> Void) -> Bool {
        precondition(chunks <= Self.chunkMask, "too many chunks for one job")
        guard workers > 0, !stopping.load(ordering: .relaxed),
            busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(chunk) { chunk in
            withUnsafePointer(to: chunk) { pointer in
                body.store(Int(bitPattern: pointer), ordering: .relaxed)
                finished.store(0, ordering: .relaxed)
                generation += 1
                let word = generation << 32 | chunks << Self.chunkBits
                claims.store(word, ordering: .sequentiallyConsistent)
                if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                    wake.lock()
                    wake.broadcast()
                    wake.unlock()
                }
                runChunks(of: word)
                waitForChunks(chunks)
            }
        }
        return true
    }

    /// Stops the workers and waits for them to exit; jobs then return false.
    func shutDown() {
        guard !stopping.exchange(true, ordering: .sequentiallyConsistent) else { return }
        wake.lock()
        wake.broadcast()
        wake.unlock()
        for _ in 0..<workers { exited.wait() }
    }

    /// Claims and runs chunks of the job posted as `word` until none is left.
    private func runChunks(of word: Int) {
        var current = word
        while true {
            let (count, next) = ((current >> Self.chunkBits) & Self.chunkMask, current & Self.chunkMask)
            guard next < count else { return }
            let (exchanged, original) = claims.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            guard exchanged else {
                // Another thread took `next`; a different generation means this job is done.
                guard original >> 32 == current >> 32 else { return }
                current = original
                continue
            }
            // The job cannot finish before this chunk does, so its body is still on the
            // caller's stack.
            let chunk = UnsafePointer<(Int) -> Void>(bitPattern: body.load(ordering: .relaxed))!
            chunk.pointee(next)
            finished.add(1, ordering: .releasing)
            current += 1
        }
    }

    /// Spins until `chunks` chunks have finished (the caller's last wait of a job: at most the
    /// length of one chunk).
    private func waitForChunks(_ chunks: Int) {
        var spins = 0
        while finished.load(ordering: .acquiring) < chunks {
            diffdub_spin_pause()
            spins += 1
            if spins & 0x3FFF == 0 { sched_yield() }
        }
    }

    /// A worker: waits for each new generation and claims its chunks, until the shutdown.
    private func workerLoop() {
        // Generation 0 is the pool's start: a worker that starts after the first job was posted
        // still takes part in it.
        var seen = 0
        while let word = nextJob(after: seen) {
            seen = word >> 32
            runChunks(of: word)
        }
    }

    /// The first job word of a generation after `seen`, or nil at the shutdown: spins for
    /// ``spinDuration``, then sleeps on ``wake``.
    private func nextJob(after seen: Int) -> Int? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: Self.spinDuration)
        var spins = 0
        while true {
            let word = claims.load(ordering: .acquiring)
            if word >> 32 != seen { return word }
            if stopping.load(ordering: .relaxed) { return nil }
            diffdub_spin_pause()
            spins += 1
            if spins & 0x3F == 0 && clock.now >= deadline { break }
        }
        wake.lock()
        defer { wake.unlock() }
        sleepers.add(1, ordering: .sequentiallyConsistent)
        defer { sleepers.subtract(1, ordering: .sequentiallyConsistent) }
        while true {
            let word = claims.load(ordering: .sequentiallyConsistent)
            if word >> 32 != seen { return word }
            if stopping.load(ordering: .sequentiallyConsistent) { return nil }
            wake.wait()
        }
    }
}
