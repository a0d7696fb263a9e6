import DiffDubCore
import Foundation
import TestSupport
import Testing

@Suite struct ActivationTests {
    /// Large enough to be split across threads, with extreme values at the ends.
    static let input: Tensor = {
        var values = randomTensor([3, 40_001], seed: 1, in: -8...8).scalars
        values[0] = -100
        values[1] = 100
        values[2] = 0
        values[3] = -90
        values[4] = 90
        return Tensor(shape: [3, 40_001], scalars: values)
    }()

    private func check(_ kernel: (Tensor) -> Tensor, _ reference: (Double) -> Double) {
        let x = ActivationTests.input
        let expected = Tensor(shape: x.shape, scalars: x.scalars.map { Float(reference(Double($0))) })
        expectClose(kernel(x), expected, tolerance: 1e-5)
    }

    @Test func siluIsXTimesSigmoid() { check(silu) { $0 / (1 + exp(-$0)) } }
    @Test func reluClampsNegatives() { check(relu) { max($0, 0) } }
    @Test func sigmoidIsLogistic() { check(sigmoid) { 1 / (1 + exp(-$0)) } }
    @Test func geluIsExact() { check(gelu) { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot())) } }

    @Test func geluIsAccurateElementwise() {
        let x = Tensor(shape: [2001], scalars: (0..<2001).map { Float($0 - 1000) / 125 })  // -8 ... 8
        let y = gelu(x).scalars
        for (value, result) in zip(x.scalars, y) {
            let v = Double(value)
            let expected = 0.5 * v * (1 + erf(v / 2.0.squareRoot()))
            #expect(abs(Double(result) - expected) <= 1e-6 * max(1, abs(v)), "gelu(\(value))")
        }
    }

    /// Inputs from -100 to 100 in steps of 1/64 (so also around the exp clamps at -88.3 and
    /// 87.3), a count that is not a multiple of the vector width, and the special values.
    static let grid: [Float] = (-6400...6400).map { Float($0) / 64 } + [-88.31, 88.31, .infinity, -.infinity, 0]

    @Test func siluIsAccurateElementwise() {
        let x = Tensor(shape: [ActivationTests.grid.count], scalars: ActivationTests.grid)
        for (value, result) in zip(x.scalars, silu(x).scalars) where value.isFinite {
            let v = Double(value)
            let expected = v / (1 + exp(-v))
            #expect(abs(Double(result) - expected) <= 1e-6 * abs(expected) + 1e-30, "silu(\(value)) = \(result)")
        }
        let y = silu(Tensor(shape: [3], scalars: [.infinity, -.infinity, .nan])).scalars
        #expect(y[0] == .infinity)
        #expect(y[2].isNaN)
    }

    @Test func sigmoidIsAccurateElementwise() {
        let x = Tensor(shape: [ActivationTests.grid.count], scalars: ActivationTests.grid)
        for (value, result) in zip(x.scalars, sigmoid(x).scalars) {
            let v = Double(value)
            let expected = 1 / (1 + exp(-v))
            #expect(abs(Double(result) - expected) <= 1e-6 * expected + 1e-30, "sigmoid(\(value)) = \(result)")
        }
    }

    @Test(arguments: [0, 1, 2, -1])
    func gluSplitsTheAxis(axis: Int) {
        let x = randomTensor([4, 6, 2], seed: 2)
        let resolved = axis < 0 ? axis + 3 : axis
        let half = x.shape[resolved] / 2
        let a = slice(x, axis: resolved, 0..<half)
        let b = slice(x, axis: resolved, half..<(2 * half))
        let expected = Tensor(
            shape: a.shape, scalars: zip(a.scalars, b.scalars).map { $0 / (1 + exp(-$1)) })
        expectClose(glu(x, axis: axis), expected)
    }

    @Test func clampBoundsEveryElement() {
        let x = randomTensor([5, 7], seed: 3, in: -3...3)
        expectClose(clamp(x, -1, 0.5), Tensor(shape: x.shape, scalars: x.scalars.map { min(max($0, -1), 0.5) }))
    }
}

@Suite struct SoftmaxTests {
    private func reference(_ x: Tensor) -> Tensor {
        let d = x.shape.last!
        var y = x.scalars
        for row in 0..<(x.count / d) {
            let values = (0..<d).map { Double(y[row * d + $0]) }
            let m = values.max()!
            let e = values.map { exp($0 - m) }
            let total = e.reduce(0, +)
            for i in 0..<d { y[row * d + i] = Float(e[i] / total) }
        }
        return Tensor(shape: x.shape, scalars: y)
    }

    @Test func matchesReferenceOnOddShape() {
        let x = randomTensor([3, 5, 7], seed: 1, in: -5...5)
        expectClose(softmax(x), reference(x), tolerance: 1e-5)
    }

    @Test func stableWithLargeValues() {
        let x = randomTensor([4, 9], seed: 2, in: -5...5) + 1000
        let y = softmax(x)
        expectClose(y, reference(x), tolerance: 1e-5)
        #expect(y.scalars.allSatisfy { $0.isFinite })
        let big = Tensor(shape: [1, 3], scalars: [1e30, -1e30, 1e30])
        expectClose(softmax(big), Tensor(shape: [1, 3], scalars: [0.5, 0, 0.5]))
        let masked = Tensor(shape: [2, 3], scalars: [0, -.infinity, 0, 3, 3, -.infinity])
        #expect(softmax(masked).scalars == [0.5, 0, 0.5, 0.5, 0.5, 0])
    }

    @Test func rowsSumToOne() {
        let y = softmax(randomTensor([17, 300], seed: 3, in: -20...20))
        for row in 0..<17 {
            let total = y.scalars[(row * 300)..<((row + 1) * 300)].reduce(0, +)
            #expect(abs(total - 1) < 1e-5)
        }
    }
}
