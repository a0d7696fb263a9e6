@testable import DiffDubCore
import Foundation
import Synchronization
import Testing

/// The kernel threads of a run (``WorkerPool``): every chunk runs once, on several threads at
/// once, after the workers fell asleep too; a job inside a job and jobs after the shutdown are
/// refused (the caller then uses Dispatch), and `parallelFor` in a run covers its range.
@Suite(.timeLimit(.minutes(1))) struct WorkerPoolTests {
    /// Counters shared by the chunks of a job: `runs[i]` is counted by the one chunk that owns
    /// slot `i` (the pool's job end orders those writes before the reads).
    final class Counters: @unchecked Sendable {
        let started = Atomic<Int>(0)
        let runs: UnsafeMutableBufferPointer<Int>
        init(slots: Int) { runs = .allocate(capacity: slots); runs.initialize(repeating: 0) }
        deinit { runs.deallocate() }
        /// Waits up to `seconds` until `count` chunks have started; whether they did.
        func waitForStarted(_ count: Int, seconds: Double = 10) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while started.load(ordering: .acquiring) < count {
                if Date() > deadline { return false }
            }
            return true
        }
    }

    @Test func everyChunkOfEveryJobRunsOnce() {
        let pool = WorkerPool(workers: 2)
        defer { pool.shutDown() }
        for job in 0..<3000 {
            let chunks = 1 + job % 17
            let counters = Counters(slots: chunks)
            #expect(pool.run(chunks: chunks) { counters.runs[$0] += 1 })
            let runs = Array(counters.runs)
            #expect(runs == Array(repeating: 1, count: chunks), "job \(job)")
            if runs != Array(repeating: 1, count: chunks) { break }
        }
    }

    @Test func chunksRunConcurrentlyAlsoAfterTheWorkersSlept() throws {
        let pool = WorkerPool(workers: 2)
        defer { pool.shutDown() }
        for pause in [0.0, 0.05] {
            Thread.sleep(forTimeInterval: pause)  // 50 ms: past the spin, the workers sleep
            // Each of the 3 chunks waits until all 3 have started: only 3 threads at once pass.
            let counters = Counters(slots: 3)
            var allStarted = [Bool](repeating: false, count: 3)
            allStarted.withUnsafeMutableBufferPointer { flags in
                nonisolated(unsafe) let flags = flags
                #expect(
                    pool.run(chunks: 3) { chunk in
                        counters.started.add(1, ordering: .releasing)
                        flags[chunk] = counters.waitForStarted(3)
                    })
            }
            #expect(allStarted == [true, true, true], "after a pause of \(pause) s")
        }
    }

    @Test func aJobInsideAJobIsRefusedAndParallelForStillCoversItsRange() {
        let pool = WorkerPool(workers: 1)
        defer { pool.shutDown() }
        let inner = Counters(slots: 2 * 1000)
        var refused = [Bool](repeating: false, count: 2)
        refused.withUnsafeMutableBufferPointer { refusedFlags in
            nonisolated(unsafe) let refusedFlags = refusedFlags
            let context = ComputeContext(threads: 2, pool: nil, workers: pool)
            ComputeContext.$current.withValue(context) {
                parallelFor(2, minimumChunk: 1) { outer in
                    for chunk in outer {
                        refusedFlags[chunk] = !pool.run(chunks: 2) { _ in }
                        parallelFor(1000, minimumChunk: 1) { range in
                            for index in range { inner.runs[chunk * 1000 + index] += 1 }
                        }
                    }
                }
            }
        }
        #expect(refused == [true, true])
        #expect(inner.runs.allSatisfy { $0 == 1 })
    }

    @Test func afterTheShutDownJobsAreRefused() {
        let pool = WorkerPool(workers: 3)
        #expect(pool.run(chunks: 4) { _ in })
        pool.shutDown()
        pool.shutDown()
        #expect(!pool.run(chunks: 4) { _ in })
        #expect(!WorkerPool(workers: 0).run(chunks: 2) { _ in })
    }

    @Test func parallelForInARunCoversItsRangeInTheSameChunks() {
        for threads in [1, 2, 3, 5] {
            ComputeSettings(threads: threads, bufferPoolBytes: 0).run {
                let processors = ProcessInfo.processInfo.activeProcessorCount
                #expect((ComputeContext.current.workers?.workers ?? 0) == min(threads, processors) - 1)
                let count = 10_007
                let counters = Counters(slots: count)
                let chunkStarts = Counters(slots: count)
                parallelFor(count, minimumChunk: 1000) { range in
                    chunkStarts.runs[range.lowerBound] += 1
                    for index in range { counters.runs[index] += 1 }
                }
                #expect(counters.runs.allSatisfy { $0 == 1 }, "\(threads) threads")
                let starts = (0..<count).filter { chunkStarts.runs[$0] == 1 }
                #expect(starts == (0..<threads).map { count * $0 / threads }, "\(threads) threads")
            }
        }
    }
}
