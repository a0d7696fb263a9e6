import DiffDubCore
import TestSupport
import Testing

/// The Winograd paths F(2x2), F(4x4) and F(6x6) (one band driver) against the im2col path
/// (itself checked against the direct loop in `Conv2dTests`) on odd shapes, paddings, small band
/// buffers and batches; the tolerance is ``winogradTolerance``.
@Suite struct WinogradTests {
    static let algorithms: [Conv2dAlgorithm] = [.winograd, .winograd4x4, .winograd6x6]

    @Test(arguments: algorithms, WinogradCase.oddShapes)
    func matchesIm2col(_ algorithm: Conv2dAlgorithm, _ c: WinogradCase) {
        expectWinogradMatchesIm2col(algorithm, c)
    }

    @Test(arguments: algorithms)
    func smallBuffersGiveBandsThatCoverOddImages(_ algorithm: Conv2dAlgorithm) {
        let x = randomTensor([2, 6, 29, 17], seed: 50)
        let w = randomTensor([5, 6, 3, 3], seed: 51)
        let b = randomTensor([5], seed: 52)
        let expected = conv2d(x, weight: w, bias: b, padding: 1, algorithm: .im2col)
        // Tiles of m outputs; one tile row (alpha^2 values per tile and channel, 6 channels) per
        // band up to the whole image.
        let m = [Conv2dAlgorithm.winograd: 2, .winograd4x4: 4, .winograd6x6: 6][algorithm] ?? 0
        let (tileRows, tileColumns) = ((29 + m - 1) / m, (17 + m - 1) / m)
        for rows in Set([1, 2, 3, tileRows]) {
            let budget = rows * (m + 2) * (m + 2) * 6 * tileColumns * MemoryLayout<Float>.stride
            expectWithinRounding(
                conv2d(x, weight: w, bias: b, padding: 1, algorithm: algorithm, columnBufferBytes: budget),
                expected, x: x, w: w, b: b, padding: 1)
        }
    }

    @Test(arguments: algorithms)
    func resultOfAnImageDoesNotDependOnItsBatch(_ algorithm: Conv2dAlgorithm) {
        let x = randomTensor([3, 32, 20, 20], seed: 60)
        let w = randomTensor([32, 32, 3, 3], seed: 61)
        let b = randomTensor([32], seed: 62)
        let batch = conv2d(x, weight: w, bias: b, padding: 1, algorithm: algorithm)
        let middle = conv2d(slice(x, axis: 0, 1..<2), weight: w, bias: b, padding: 1, algorithm: algorithm)
        #expect(slice(batch, axis: 0, 1..<2).scalars == middle.scalars)
    }

    @Test(arguments: algorithms)
    func weightsWrittenAfterAConvolutionAreCopiedNotChangedUnderTheCache(_ algorithm: Conv2dAlgorithm) {
        let x = randomTensor([1, 8, 12, 12], seed: 70)
        var w = randomTensor([4, 8, 3, 3], seed: 71)
        let before = conv2d(x, weight: w, bias: nil, padding: 1, algorithm: algorithm)
        let original = w
        w.withUnsafeMutableBufferPointer { $0[0] += 1 }
        #expect(original.scalars != w.scalars)
        expectWithinRounding(
            conv2d(x, weight: w, bias: nil, padding: 1, algorithm: algorithm),
            conv2d(x, weight: w, bias: nil, padding: 1, algorithm: .im2col), x: x, w: w, b: nil, padding: 1)
        #expect(conv2d(x, weight: original, bias: nil, padding: 1, algorithm: algorithm).scalars == before.scalars)
    }
}
