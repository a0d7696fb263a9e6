import DiffDubCore
import Testing

@Suite struct TensorTests {
    @Test func zerosAndShape() {
        let t = Tensor(zeros: [2, 3, 4])
        #expect(t.shape == [2, 3, 4])
        #expect(t.count == 24)
        #expect(t.scalars.allSatisfy { $0 == 0 })
    }

    @Test func reshapeInfersOneAxisAndSharesValues() {
        let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let r = t.reshaped([3, -1])
        #expect(r.shape == [3, 2])
        #expect(r.scalars == t.scalars)
        #expect(r[2, 1] == 6)
    }

    @Test func copyOnWriteLeavesOtherCopiesAlone() {
        let a = Tensor(shape: [4], scalars: [1, 2, 3, 4])
        var b = a
        b.withUnsafeMutableBufferPointer { $0[0] = 100 }
        #expect(a[0] == 1)
        #expect(b[0] == 100)
    }

    @Test func borrowedStorageIsCopiedBeforeWriting() {
        final class Owner {}
        let values: [Float] = [1, 2, 3]
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: 3)
        defer { pointer.deallocate() }
        pointer.initialize(from: values, count: 3)
        var t = Tensor(shape: [3], storage: TensorStorage(borrowing: pointer, count: 3, owner: Owner()))
        t.withUnsafeMutableBufferPointer { $0[1] = -1 }
        #expect(pointer[1] == 2)
        #expect(t.scalars == [1, -1, 3])
    }

    @Test func parallelForCoversEveryIndexOnce() {
        let n = 100_003
        var hits = [Int](repeating: 0, count: n)
        hits.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            parallelFor(n, minimumChunk: 1000) { range in
                for i in range { base[i] += 1 }
            }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }
}

@Suite struct SplitMix64Tests {
    @Test func reproducibleAndInRange() {
        var a = SplitMix64(seed: 42)
        var b = SplitMix64(seed: 42)
        var c = SplitMix64(seed: 43)
        let xs = (0..<1000).map { _ in a.nextUnitFloat() }
        #expect(xs == (0..<1000).map { _ in b.nextUnitFloat() })
        #expect(xs != (0..<1000).map { _ in c.nextUnitFloat() })
        #expect(xs.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = xs.reduce(0, +) / Float(xs.count)
        #expect(abs(mean - 0.5) < 0.05)
        // The reference value of SplitMix64 for seed 0 (first output).
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    }
}
