@testable import DiffDubCore
import TestSupport
import Testing

/// A run's buffer pool (``ComputeSettings/bufferPoolBytes``): freed blocks come back, zeroed
/// tensors stay zero, a full pool makes room, and runs without a pool keep nothing.
@Suite struct TensorBufferPoolTests {
    /// Runs `body` in a context with `pool`, as ``ComputeSettings/run(_:)`` binds one.
    func withPool(_ pool: TensorBufferPool?, _ body: () -> Void) {
        ComputeContext.$current.withValue(ComputeContext(threads: 2, pool: pool), operation: body)
    }

    @Test func freedBlocksAreReusedAndZeroedTensorsStayZero() {
        let pool = TensorBufferPool(capacityBytes: 64 << 20)
        withPool(pool) {
            let shape = [1, 3, 97, 101]
            do {
                let filled = Tensor(shape: shape, repeating: 7)
                #expect(filled[0, 0, 0, 0] == 7)
            }
            let before = pool.statistics.reusedBlocks
            let zeros = Tensor(zeros: shape)  // takes the freed block back, and zero-fills it
            #expect(pool.statistics.reusedBlocks == before + 1)
            #expect(zeros.scalars.allSatisfy { $0 == 0 })
            // Kernel outputs on reused blocks are right too.
            let x = randomTensor(shape, seed: 3)
            let y = x * 2
            #expect(zip(y.scalars, x.scalars).allSatisfy { $0 == 2 * $1 })
        }
    }

    @Test func aFullPoolMakesRoomForTheSizeInUse() {
        let pool = TensorBufferPool(capacityBytes: 3 << 20)
        withPool(pool) {
            _ = Tensor(shape: [1 << 19], repeating: 1)  // 2 MiB, kept
            #expect(pool.statistics.heldBytes == 2 << 20)
            _ = Tensor(shape: [3 << 18], repeating: 1)  // 3 MiB: the 2 MiB block makes room
            #expect(pool.statistics.heldBytes == 3 << 20)
            let before = pool.statistics.reusedBlocks
            _ = Tensor(shape: [3 << 18], repeating: 2)
            #expect(pool.statistics.reusedBlocks == before + 1)
        }
    }

    @Test func withoutAPoolNothingIsKept() {
        let pool = TensorBufferPool(capacityBytes: 64 << 20)
        withPool(pool) {}
        withPool(nil) { _ = Tensor(shape: [1, 1, 311, 313], repeating: 1) }
        #expect(pool.statistics.heldBytes == 0)
    }

    @Test func aTensorOutlivingItsRunReturnsItsBlockToThatRunsPool() {
        let pool = TensorBufferPool(capacityBytes: 64 << 20)
        var kept: Tensor? = nil
        withPool(pool) { kept = Tensor(shape: [1, 2, 128, 128], repeating: 3) }
        withPool(nil) { _ = Tensor(shape: [1, 2, 128, 128], repeating: 4) }  // another run: not pooled
        #expect(pool.statistics.heldBytes == 0)
        kept = nil
        #expect(kept == nil && pool.statistics.heldBytes == 2 * 128 * 128 * 4)
    }
}
