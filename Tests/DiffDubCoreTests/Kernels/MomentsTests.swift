import DiffDubCore
import Foundation
import TestSupport
import Testing

/// `meanAndVariance(of:)` against a two-pass `Double` reference on data built to break
/// `Float` accumulation: large offsets with tiny spreads, an outlier first value (the first
/// pass shifts by it), and counts around the vector and block sizes (8 and 128).
@Suite struct MomentsTests {
    /// Mean and biased variance in `Double`, two passes.
    private func reference(_ values: [Float]) -> (mean: Double, variance: Double) {
        let n = Double(values.count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / n
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        return (mean, variance)
    }

    private func check(_ values: [Float], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let (mean, variance) = values.withUnsafeBufferPointer { meanAndVariance(of: $0) }
        let expected = reference(values)
        let spread = expected.variance.squareRoot()
        #expect(
            abs(mean - expected.mean) <= 1e-5 * spread + 1e-15 * abs(expected.mean),
            "\(label): mean \(mean), expected \(expected.mean) (spread \(spread))", sourceLocation: sourceLocation)
        #expect(
            abs(variance - expected.variance) <= 1e-5 * expected.variance,
            "\(label): variance \(variance), expected \(expected.variance)", sourceLocation: sourceLocation)
    }

    static let counts = [1, 2, 7, 8, 9, 15, 16, 17, 127, 128, 129, 255, 1000, 4099, 65_536 + 13]

    @Test(arguments: counts)
    func matchesDoubleReferenceWithLargeOffsets(count: Int) {
        for (offset, spread) in [(Float(0), Float(1)), (1000, 1e-2), (-3e4, 0.5), (1e6, 4), (0.5, 1e-5)] {
            var generator = SeededGenerator(seed: UInt64(count))
            let values = (0..<count).map { _ in offset + Float.random(in: -spread...spread, using: &generator) }
            check(values, "offset \(offset), spread \(spread), count \(count)")
        }
    }

    @Test(arguments: counts.filter { $0 > 1 })
    func matchesDoubleReferenceWithAnOutlierFirst(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count) + 99)
        var values = (0..<count).map { _ in 1000 + Float.random(in: -1e-2...1e-2, using: &generator) }
        values[0] = 1000 + 0.5 * Float(count).squareRoot()
        check(values, "outlier first, count \(count)")
        values[0] = -1e5
        check(values, "far outlier first, count \(count)")
    }

    @Test func skewedAndStructuredData() {
        // Every 16th value large: the lanes and blocks see very different sums.
        let values = (0..<5003).map { (i: Int) -> Float in
            let large = Float(250) + Float(i % 7)
            let small = Float(i % 5) * 1e-3 - 7
            return i % 16 == 3 ? large : small
        }
        check(values, "structured")
        // Exponentially spread magnitudes.
        var generator = SeededGenerator(seed: 5)
        let skewed = (0..<3001).map { _ in Float(exp(Double.random(in: -10...10, using: &generator))) }
        check(skewed, "log-uniform")
    }

    @Test func constantValuesHaveZeroVariance() {
        for count in [1, 9, 130, 1001] {
            let values = [Float](repeating: 1234.567, count: count)
            let (mean, variance) = values.withUnsafeBufferPointer { meanAndVariance(of: $0) }
            #expect(mean == Double(Float(1234.567)))
            #expect(variance == 0)
        }
        let empty: [Float] = []
        let moments = empty.withUnsafeBufferPointer { meanAndVariance(of: $0) }
        #expect(moments.mean == 0 && moments.variance == 0)
    }
}
