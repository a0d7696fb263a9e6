import DiffDubCore
import TestSupport
import Testing

@Suite struct ShapeTests {
    @Test(arguments: [0, 1, 2, -1])
    func concatThenSliceRoundTrips(axis: Int) {
        var shapeA = [2, 3, 4]
        var shapeB = [2, 3, 4]
        let resolved = axis < 0 ? axis + 3 : axis
        shapeA[resolved] = 3
        shapeB[resolved] = 5
        let a = randomTensor(shapeA, seed: 1)
        let b = randomTensor(shapeB, seed: 2)
        let joined = concat([a, b], axis: axis)
        var expectedShape = shapeA
        expectedShape[resolved] = 8
        #expect(joined.shape == expectedShape)
        // Element-wise check against index arithmetic.
        let js = joined.scalars
        let as_ = a.scalars
        let bs = b.scalars
        let jStrides = rowMajorStrides(expectedShape)
        for index in allIndices(expectedShape) {
            let offset = zip(index, jStrides).map(*).reduce(0, +)
            var source = index
            let fromA = index[resolved] < 3
            if !fromA { source[resolved] -= 3 }
            let sourceStrides = rowMajorStrides(fromA ? shapeA : shapeB)
            let sourceOffset = zip(source, sourceStrides).map(*).reduce(0, +)
            #expect(js[offset] == (fromA ? as_[sourceOffset] : bs[sourceOffset]))
        }
        #expect(slice(joined, axis: axis, 0..<3).scalars == a.scalars)
        #expect(slice(joined, axis: axis, 3..<8).scalars == b.scalars)
    }

    /// Large enough that the copies are split across threads, with chunk boundaries inside rows
    /// (a batch of one) and between them.
    @Test(arguments: [([1, 3, 181, 190], [1, 4, 181, 190], 1), ([3, 5, 51, 301], [3, 5, 77, 301], 2)])
    func concatAndSliceOfLargeTensorsMatchIndexArithmetic(_ shapeA: [Int], _ shapeB: [Int], axis: Int) {
        let (a, b) = (randomTensor(shapeA, seed: 5), randomTensor(shapeB, seed: 6))
        let joined = concat([a, b], axis: axis)
        let outer = shapeA[..<axis].reduce(1, *)
        let (blockA, blockB) = (a.count / outer, b.count / outer)
        var expected: [Float] = []
        for o in 0..<outer {
            expected += a.scalars[(o * blockA)..<((o + 1) * blockA)]
            expected += b.scalars[(o * blockB)..<((o + 1) * blockB)]
        }
        #expect(joined.scalars == expected)
        #expect(slice(joined, axis: axis, shapeA[axis]..<(shapeA[axis] + shapeB[axis])).scalars == b.scalars)
    }

    @Test func concatOfThree() {
        let parts = (0..<3).map { randomTensor([2, $0 + 1, 3], seed: UInt64(10 + $0)) }
        let joined = concat(parts, axis: 1)
        #expect(joined.shape == [2, 6, 3])
        #expect(slice(joined, axis: 1, 1..<3).scalars == parts[1].scalars)
    }

    @Test func sliceMiddleOfInnerAxis() {
        let x = randomTensor([3, 5, 7], seed: 3)
        let y = slice(x, axis: 2, 2..<6)
        #expect(y.shape == [3, 5, 4])
        for index in allIndices(y.shape) {
            #expect(y[index[0], index[1], index[2]] == x[index[0], index[1], index[2] + 2])
        }
    }

    @Test(arguments: [[0, 1, 2, 3], [0, 2, 3, 1], [3, 2, 1, 0], [1, 0, 3, 2], [0, 1, 3, 2], [2, 0, 1, 3]])
    func permutedMovesEveryElement(permutation: [Int]) {
        let shape = [2, 3, 5, 4]
        let x = randomTensor(shape, seed: 4)
        let y = permuted(x, permutation)
        let outShape = permutation.map { shape[$0] }
        #expect(y.shape == outShape)
        let xs = x.scalars
        let ys = y.scalars
        let xStrides = rowMajorStrides(shape)
        for (offset, index) in allIndices(outShape).enumerated() {
            var source = [Int](repeating: 0, count: 4)
            for k in 0..<4 { source[permutation[k]] = index[k] }
            #expect(ys[offset] == xs[zip(source, xStrides).map(*).reduce(0, +)])
        }
    }

    @Test(arguments: [[0, 2, 1], [2, 1, 0], [1, 2, 0], [2, 0, 1]])
    func permutedTransposesAcrossSeveralBlocks(permutation: [Int]) {
        let shape = [3, 40, 70]
        let x = randomTensor(shape, seed: 6)
        let y = permuted(x, permutation)
        let outShape = permutation.map { shape[$0] }
        let xs = x.scalars
        let ys = y.scalars
        let xStrides = rowMajorStrides(shape)
        var mismatches = 0
        for (offset, index) in allIndices(outShape).enumerated() {
            var source = [0, 0, 0]
            for k in 0..<3 { source[permutation[k]] = index[k] }
            if ys[offset] != xs[zip(source, xStrides).map(*).reduce(0, +)] { mismatches += 1 }
        }
        #expect(y.shape == outShape)
        #expect(mismatches == 0)
    }

    @Test func sumOverEachAxis() {
        let shape = [3, 4, 5]
        let x = randomTensor(shape, seed: 5)
        let xs = x.scalars
        for axis in 0..<3 {
            var outShape = shape
            outShape.remove(at: axis)
            var expected = [Float](repeating: 0, count: 20 * 3 / shape[axis])
            let outStrides = rowMajorStrides(outShape)
            for (offset, index) in allIndices(shape).enumerated() {
                var out = index
                out.remove(at: axis)
                expected[zip(out, outStrides).map(*).reduce(0, +)] += xs[offset]
            }
            expectClose(sum(x, axis: axis), Tensor(shape: outShape, scalars: expected))
        }
        #expect(sum(x, axis: -1).shape == [3, 4])
    }
}

@Suite struct ResamplingTests {
    @Test func upsampleRepeatsEachPixel() {
        let x = randomTensor([2, 3, 5, 7], seed: 1)
        let y = upsampleNearest2x(x)
        #expect(y.shape == [2, 3, 10, 14])
        for index in allIndices(y.shape) {
            #expect(y[index[0], index[1], index[2], index[3]] == x[index[0], index[1], index[2] / 2, index[3] / 2])
        }
    }

    @Test func avgPoolAveragesBlocks() {
        let x = randomTensor([2, 3, 6, 8], seed: 2)
        let y = avgPool2x2(x)
        #expect(y.shape == [2, 3, 3, 4])
        var expected: [Float] = []
        for index in allIndices(y.shape) {
            let (n, c, i, j) = (index[0], index[1], index[2], index[3])
            expected.append(
                (x[n, c, 2 * i, 2 * j] + x[n, c, 2 * i, 2 * j + 1] + x[n, c, 2 * i + 1, 2 * j]
                    + x[n, c, 2 * i + 1, 2 * j + 1]) / 4)
        }
        expectClose(y, Tensor(shape: y.shape, scalars: expected), tolerance: 1e-6)
    }

    @Test(arguments: [(3, 2, 1), (2, 2, 0), (3, 1, 1), (5, 3, 2)])
    func maxPoolTakesWindowMaxima(kernel: Int, stride: Int, padding: Int) {
        let x = randomTensor([2, 3, 9, 7], seed: 4)
        let y = maxPool2d(x, kernelSize: kernel, stride: stride, padding: padding)
        let (ho, wo) = ((9 + 2 * padding - kernel) / stride + 1, (7 + 2 * padding - kernel) / stride + 1)
        #expect(y.shape == [2, 3, ho, wo])
        var expected: [Float] = []
        for index in allIndices([2, 3, ho, wo]) {
            var best = -Float.infinity
            for u in 0..<kernel {
                for v in 0..<kernel {
                    let (r, c) = (index[2] * stride + u - padding, index[3] * stride + v - padding)
                    if r >= 0 && r < 9 && c >= 0 && c < 7 { best = max(best, x[index[0], index[1], r, c]) }
                }
            }
            expected.append(best)
        }
        #expect(y.scalars == expected)
    }

    @Test func globalAveragePoolTakesSpatialMean() {
        let x = randomTensor([3, 33, 7, 5], seed: 3)
        let xs = x.scalars
        let expected = (0..<(3 * 33)).map { plane in xs[(plane * 35)..<((plane + 1) * 35)].reduce(0, +) / 35 }
        expectClose(globalAveragePool(x), Tensor(shape: [3, 33], scalars: expected), tolerance: 1e-6)
    }
}
