import DiffDubCore
import TestSupport
import Testing

/// Winograd `F(4x4, 3x3)` against the im2col path (itself checked against the direct loop in
/// `Conv2dTests`) on odd shapes, paddings, small band buffers and batches.
@Suite struct WinogradF4Tests {
    struct Case: Sendable, CustomStringConvertible {
        var input: [Int]
        var outChannels: Int
        var padding: Int
        var bias: Bool
        var description: String { "\(input) -> \(outChannels), p\(padding) bias \(bias)" }
    }

    @Test(arguments: [
        Case(input: [2, 3, 7, 5], outChannels: 4, padding: 1, bias: true),
        Case(input: [1, 5, 9, 13], outChannels: 3, padding: 0, bias: false),
        Case(input: [1, 2, 1, 1], outChannels: 3, padding: 1, bias: true),
        Case(input: [1, 3, 5, 4], outChannels: 2, padding: 2, bias: true),
        Case(input: [2, 17, 11, 10], outChannels: 16, padding: 1, bias: true),
        Case(input: [1, 33, 18, 19], outChannels: 7, padding: 1, bias: false),
        Case(input: [1, 64, 35, 33], outChannels: 65, padding: 1, bias: true),
        Case(input: [1, 4, 3, 3], outChannels: 2, padding: 0, bias: true),
    ])
    func matchesIm2col(_ c: Case) {
        let seed = UInt64(c.input.reduce(c.outChannels * 7 + c.padding, *))
        let x = randomTensor(c.input, seed: seed)
        let w = randomTensor([c.outChannels, c.input[1], 3, 3], seed: seed + 1)
        let b = c.bias ? randomTensor([c.outChannels], seed: seed + 2) : nil
        let expected = conv2d(x, weight: w, bias: b, padding: c.padding, algorithm: .im2col)
        expectClose(conv2d(x, weight: w, bias: b, padding: c.padding, algorithm: .winograd4x4), expected)
        // A second call uses the kept weight transform.
        expectClose(conv2d(x, weight: w, bias: b, padding: c.padding, algorithm: .winograd4x4), expected)
    }

    @Test func smallBuffersGiveBandsThatCoverOddImages() {
        let x = randomTensor([2, 6, 23, 17], seed: 50)
        let w = randomTensor([5, 6, 3, 3], seed: 51)
        let b = randomTensor([5], seed: 52)
        let expected = conv2d(x, weight: w, bias: b, padding: 1, algorithm: .im2col)
        // One tile row (5 tiles of 36 x 6 values) per band up to the whole image.
        for tileRows in [1, 2, 3, 6] {
            let budget = tileRows * 36 * 6 * 5 * MemoryLayout<Float>.stride
            expectClose(
                conv2d(x, weight: w, bias: b, padding: 1, algorithm: .winograd4x4, columnBufferBytes: budget), expected)
        }
    }

    @Test func resultOfAnImageDoesNotDependOnItsBatch() {
        let x = randomTensor([3, 32, 20, 20], seed: 60)
        let w = randomTensor([32, 32, 3, 3], seed: 61)
        let b = randomTensor([32], seed: 62)
        let batch = conv2d(x, weight: w, bias: b, padding: 1, algorithm: .winograd4x4)
        let middle = conv2d(slice(x, axis: 0, 1..<2), weight: w, bias: b, padding: 1, algorithm: .winograd4x4)
        #expect(slice(batch, axis: 0, 1..<2).scalars == middle.scalars)
    }

    @Test func weightsWrittenAfterAConvolutionAreCopiedNotChangedUnderTheCache() {
        let x = randomTensor([1, 8, 12, 12], seed: 70)
        var w = randomTensor([4, 8, 3, 3], seed: 71)
        let before = conv2d(x, weight: w, bias: nil, padding: 1, algorithm: .winograd4x4)
        let original = w
        w.withUnsafeMutableBufferPointer { $0[0] += 1 }
        #expect(original.scalars != w.scalars)
        expectClose(
            conv2d(x, weight: w, bias: nil, padding: 1, algorithm: .winograd4x4),
            conv2d(x, weight: w, bias: nil, padding: 1, algorithm: .im2col))
        expectClose(conv2d(x, weight: original, bias: nil, padding: 1, algorithm: .winograd4x4), before)
    }
}
