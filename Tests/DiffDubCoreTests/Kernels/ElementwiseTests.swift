import DiffDubCore
import Foundation
import TestSupport
import Testing

/// `op` with NumPy broadcasting written out per output index.
private func referenceBroadcast(_ a: Tensor, _ b: Tensor, _ op: (Float, Float) -> Float) -> Tensor {
    let rank = max(a.rank, b.rank)
    let sa = [Int](repeating: 1, count: rank - a.rank) + a.shape
    let sb = [Int](repeating: 1, count: rank - b.rank) + b.shape
    let shape = zip(sa, sb).map { max($0, $1) }
    let (stridesA, stridesB) = (rowMajorStrides(sa), rowMajorStrides(sb))
    let (xa, xb) = (a.scalars, b.scalars)
    let values = allIndices(shape).map { index -> Float in
        var oa = 0
        var ob = 0
        for k in 0..<rank {
            oa += (sa[k] == 1 ? 0 : index[k]) * stridesA[k]
            ob += (sb[k] == 1 ? 0 : index[k]) * stridesB[k]
        }
        return op(xa[oa], xb[ob])
    }
    return Tensor(shape: shape, scalars: values)
}

@Suite struct ElementwiseTests {
    static let shapePairs: [([Int], [Int])] = [
        ([2, 3, 4, 5], [2, 3, 4, 5]),
        ([2, 33, 7, 5], [1, 33, 1, 1]),
        ([3, 33, 7, 5], [3, 33, 1, 1]),
        ([2, 3, 7, 5], [5]),
        ([7, 1], [1, 6]),
        ([3, 1, 5], [4, 1]),
        ([1], [2, 3]),
        ([2, 3], []),
        ([4, 1, 6, 1], [5, 1, 7]),
        ([2, 64, 300], [2, 64, 300]),
    ]

    @Test(arguments: shapePairs)
    func broadcastingOperatorsMatchReference(lhsShape: [Int], rhsShape: [Int]) {
        let a = randomTensor(lhsShape, seed: UInt64(lhsShape.reduce(1, *)))
        let b = randomTensor(rhsShape, seed: 99, in: 0.5...2)
        expectClose(a + b, referenceBroadcast(a, b, +))
        expectClose(a - b, referenceBroadcast(a, b, -))
        expectClose(a * b, referenceBroadcast(a, b, *))
        expectClose(a / b, referenceBroadcast(a, b, /))
        // And with the operands swapped (broadcast on the left).
        expectClose(b - a, referenceBroadcast(b, a, -))
    }

    @Test func scalarOperators() {
        let x = randomTensor([3, 70_000], seed: 5)
        expectClose(x + 2.5, Tensor(shape: x.shape, scalars: x.scalars.map { $0 + 2.5 }))
        expectClose(x * -3, Tensor(shape: x.shape, scalars: x.scalars.map { $0 * -3 }))
        expectClose(0.5 * x, Tensor(shape: x.shape, scalars: x.scalars.map { $0 * 0.5 }))
    }

    @Test func addAssignMatchesAdditionInPlaceOrNot() {
        // Large enough for several threads; an odd count.
        let a = randomTensor([3, 50_001], seed: 40)
        let b = randomTensor([3, 50_001], seed: 41)
        let expected = a + b
        // Uniquely owned: summed in place, same values (bit for bit) as a + b.
        var unique = a + Tensor(shape: a.shape, repeating: 0)
        unique += b
        #expect(unique.scalars == expected.scalars)
        // Shared storage: the other value must not change.
        let before = a.scalars
        var shared = a
        shared += b
        #expect(shared.scalars == expected.scalars)
        #expect(a.scalars == before)
        // Adding to itself (same storage on both sides).
        var doubled = a + Tensor(shape: a.shape, repeating: 0)
        doubled += doubled
        #expect(doubled.scalars == (a + a).scalars)
        // Broadcast right-hand side: falls back to lhs + rhs.
        var biased = randomTensor([2, 3, 4], seed: 42)
        let bias = randomTensor([3, 1], seed: 43)
        let biasedExpected = biased + bias
        biased += bias
        #expect(biased.scalars == biasedExpected.scalars)
    }

    @Test func broadcastShapeFollowsNumPy() {
        #expect(broadcastShape([8, 1, 6, 1], [7, 1, 5]) == [8, 7, 6, 5])
        #expect(broadcastShape([5, 4], [1]) == [5, 4])
        #expect(broadcastShape([], [3]) == [3])
    }
}

@Suite struct AttentionTests {
    @Test func matchesSoftmaxOfScaledScores() {
        let (batch, queries, keys, depth, valueDepth) = (3, 5, 7, 8, 6)
        let q = randomTensor([batch, queries, depth], seed: 1, in: -2...2)
        let k = randomTensor([batch, keys, depth], seed: 2, in: -2...2)
        let v = randomTensor([batch, keys, valueDepth], seed: 3)
        let scale: Float = 0.7
        let (qs, ks, vs) = (q.scalars, k.scalars, v.scalars)
        var expected = [Float](repeating: 0, count: batch * queries * valueDepth)
        for b in 0..<batch {
            for i in 0..<queries {
                var scores = [Double](repeating: 0, count: keys)
                for j in 0..<keys {
                    for d in 0..<depth {
                        scores[j] += Double(qs[(b * queries + i) * depth + d] * ks[(b * keys + j) * depth + d])
                    }
                    scores[j] *= Double(scale)
                }
                let m = scores.max()!
                let weights = scores.map { Foundation.exp($0 - m) }
                let total = weights.reduce(0, +)
                for e in 0..<valueDepth {
                    var acc = 0.0
                    for j in 0..<keys { acc += weights[j] / total * Double(vs[(b * keys + j) * valueDepth + e]) }
                    expected[(b * queries + i) * valueDepth + e] = Float(acc)
                }
            }
        }
        expectClose(
            scaledDotProductAttention(query: q, key: k, value: v, scale: scale),
            Tensor(shape: [batch, queries, valueDepth], scalars: expected))
    }
}
