import DiffDubCore
import TestSupport
import Testing

@Suite(.serialized) struct TensorBufferPoolTests {
    @Test func freedBlocksAreReusedAndZeroedTensorsStayZero() {
        TensorBufferPool.enable(capacityBytes: 64 << 20)
        defer { TensorBufferPool.disable() }
        let shape = [1, 3, 97, 101]  // an odd size no other test allocates
        do {
            let filled = Tensor(shape: shape, repeating: 7)
            #expect(filled[0, 0, 0, 0] == 7)
        }
        let before = TensorBufferPool.statistics.reusedBlocks
        let zeros = Tensor(zeros: shape)  // takes the freed block back, and zero-fills it
        #expect(TensorBufferPool.statistics.reusedBlocks > before)
        #expect(zeros.scalars.allSatisfy { $0 == 0 })
        // Kernel outputs on reused blocks are right too.
        let x = randomTensor(shape, seed: 3)
        let y = x * 2
        #expect(zip(y.scalars, x.scalars).allSatisfy { $0 == 2 * $1 })
    }

    @Test func aFullPoolMakesRoomForTheSizeInUse() {
        TensorBufferPool.enable(capacityBytes: 3 << 20)
        defer { TensorBufferPool.disable() }
        _ = Tensor(shape: [1 << 19], repeating: 1)  // 2 MiB, kept
        #expect(TensorBufferPool.statistics.heldBytes >= 2 << 20)
        _ = Tensor(shape: [3 << 18], repeating: 1)  // 3 MiB: the 2 MiB blocks make room
        #expect(TensorBufferPool.statistics.heldBytes <= 3 << 20)
        let before = TensorBufferPool.statistics.reusedBlocks
        _ = Tensor(shape: [3 << 18], repeating: 2)
        #expect(TensorBufferPool.statistics.reusedBlocks > before)
    }

    @Test func disabledPoolKeepsNothing() {
        TensorBufferPool.disable()
        _ = Tensor(shape: [1, 1, 311, 313], repeating: 1)
        #expect(TensorBufferPool.statistics.heldBytes == 0)
    }
}
