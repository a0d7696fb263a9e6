import DiffDubCore
import Foundation
import TestSupport
import Testing

/// Relative closeness: `max |a - b| <= tolerance * max(1, max |expected|)`, shapes equal.
func expectClose(
    _ actual: Tensor, _ expected: Tensor, tolerance: Float = 1e-4,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.shape == expected.shape, sourceLocation: sourceLocation)
    let magnitude = expected.scalars.reduce(Float(1)) { max($0, abs($1)) }
    let difference = maxAbsDifference(actual, expected)
    #expect(
        difference <= tolerance * magnitude,
        "max |difference| \(difference) for magnitude \(magnitude), shape \(expected.shape)",
        sourceLocation: sourceLocation)
}

/// Random tensor with a fixed seed per call site value.
func randomTensor(_ shape: [Int], seed: UInt64, in range: ClosedRange<Float> = -1...1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.random(shape, in: range, using: &generator)
}

/// Row-major strides of `shape`.
func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    for axis in stride(from: shape.count - 2, through: 0, by: -1) {
        strides[axis] = strides[axis + 1] * shape[axis + 1]
    }
    return strides
}

/// Every multi-index of `shape`, row-major order.
func allIndices(_ shape: [Int]) -> [[Int]] {
    var result: [[Int]] = []
    let count = shape.reduce(1, *)
    result.reserveCapacity(count)
    var index = [Int](repeating: 0, count: shape.count)
    for _ in 0..<count {
        result.append(index)
        var axis = shape.count - 1
        while axis >= 0 {
            index[axis] += 1
            if index[axis] < shape[axis] { break }
            index[axis] = 0
            axis -= 1
        }
    }
    return result
}
