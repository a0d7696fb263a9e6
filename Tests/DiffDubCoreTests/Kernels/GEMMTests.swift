import DiffDubCore
import TestSupport
import Testing

/// Plain triple loop: `[batch, m, k] x [batch, k, n]` with the transposes applied by indexing.
private func referenceMatmul(
    _ a: [Float], _ b: [Float], batch: Int, m: Int, n: Int, k: Int,
    transposeA: Bool, transposeB: Bool, sharedB: Bool
) -> [Float] {
    var c = [Float](repeating: 0, count: batch * m * n)
    for i in 0..<batch {
        for r in 0..<m {
            for col in 0..<n {
                var total: Float = 0
                for p in 0..<k {
                    let av = transposeA ? a[i * m * k + p * m + r] : a[i * m * k + r * k + p]
                    let bBase = sharedB ? 0 : i * k * n
                    let bv = transposeB ? b[bBase + col * k + p] : b[bBase + p * n + col]
                    total += av * bv
                }
                c[i * m * n + r * n + col] = total
            }
        }
    }
    return c
}

@Suite struct GEMMTests {
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func batchedMatmulMatchesTripleLoop(transposeA: Bool, transposeB: Bool) {
        let (batch, m, n, k) = (3, 7, 5, 33)
        let a = randomTensor(transposeA ? [batch, k, m] : [batch, m, k], seed: 1)
        let b = randomTensor(transposeB ? [batch, n, k] : [batch, k, n], seed: 2)
        let expected = referenceMatmul(
            a.scalars, b.scalars, batch: batch, m: m, n: n, k: k,
            transposeA: transposeA, transposeB: transposeB, sharedB: false)
        expectClose(
            matmul(a, b, transposeA: transposeA, transposeB: transposeB),
            Tensor(shape: [batch, m, n], scalars: expected))
    }

    @Test(arguments: [(false, false), (true, false), (false, true)])
    func sharedRightOperandBroadcastsOverBatch(transposeA: Bool, transposeB: Bool) {
        let (m, n, k) = (4, 9, 6)
        let a = randomTensor(transposeA ? [2, 3, k, m] : [2, 3, m, k], seed: 3)
        let b = randomTensor(transposeB ? [n, k] : [k, n], seed: 4)
        let expected = referenceMatmul(
            a.scalars, b.scalars, batch: 6, m: m, n: n, k: k,
            transposeA: transposeA, transposeB: transposeB, sharedB: true)
        expectClose(
            matmul(a, b, transposeA: transposeA, transposeB: transposeB),
            Tensor(shape: [2, 3, m, n], scalars: expected))
    }

    @Test func sharedLeftOperand() {
        let a = randomTensor([5, 3], seed: 5)
        let b = randomTensor([2, 3, 4], seed: 6)
        let result = matmul(a, b)
        #expect(result.shape == [2, 5, 4])
        for i in 0..<2 {
            expectClose(
                slice(result, axis: 0, i..<(i + 1)),
                matmul(a, slice(b, axis: 0, i..<(i + 1)).reshaped([3, 4])).reshaped([1, 5, 4]))
        }
    }

    @Test func linearWithAndWithoutBias() {
        let x = randomTensor([2, 3, 17], seed: 7)
        let w = randomTensor([11, 17], seed: 8)
        let b = randomTensor([11], seed: 9)
        var expected = [Float](repeating: 0, count: 6 * 11)
        var expectedNoBias = expected
        let xs = x.scalars
        let ws = w.scalars
        let bs = b.scalars
        for row in 0..<6 {
            for o in 0..<11 {
                var total: Float = 0
                for i in 0..<17 { total += xs[row * 17 + i] * ws[o * 17 + i] }
                expectedNoBias[row * 11 + o] = total
                expected[row * 11 + o] = total + bs[o]
            }
        }
        expectClose(linear(x, weight: w, bias: b), Tensor(shape: [2, 3, 11], scalars: expected))
        expectClose(linear(x, weight: w, bias: nil), Tensor(shape: [2, 3, 11], scalars: expectedNoBias))
    }
}
