import DiffDubCore
import TestSupport
import Testing

/// One convolution of the Winograd tests: input shape, output channels, padding, bias or not.
struct WinogradCase: Sendable, CustomStringConvertible {
    var input: [Int]
    var outChannels: Int
    var padding: Int
    var bias: Bool
    var description: String { "\(input) -> \(outChannels), p\(padding) bias \(bias)" }

    /// Odd shapes, paddings, batches and channel counts that every Winograd schedule must get
    /// right (`WinogradTests`, `WinogradTilesTests`).
    static let oddShapes = [
        WinogradCase(input: [2, 3, 7, 5], outChannels: 4, padding: 1, bias: true),
        WinogradCase(input: [1, 5, 9, 13], outChannels: 3, padding: 0, bias: false),
        WinogradCase(input: [1, 2, 1, 1], outChannels: 3, padding: 1, bias: true),
        WinogradCase(input: [1, 3, 5, 4], outChannels: 2, padding: 2, bias: true),
        WinogradCase(input: [2, 17, 11, 10], outChannels: 16, padding: 1, bias: true),
        WinogradCase(input: [1, 33, 18, 19], outChannels: 7, padding: 1, bias: false),
        WinogradCase(input: [1, 64, 35, 33], outChannels: 65, padding: 1, bias: true),
        WinogradCase(input: [1, 4, 3, 3], outChannels: 2, padding: 0, bias: true),
        // 625 / 169 / 81 tiles: panels (and fused blocks) of 24 and a last one of 8 / 8 / 16.
        WinogradCase(input: [1, 40, 50, 50], outChannels: 9, padding: 1, bias: true),
    ]

    /// Random input, weights and bias (nil when `bias` is false), seeded by the shape.
    func tensors() -> (x: Tensor, w: Tensor, b: Tensor?) {
        let seed = UInt64(input.reduce(outChannels * 11 + padding, *))
        let b = bias ? randomTensor([outChannels], seed: seed + 2) : nil
        return (randomTensor(input, seed: seed), randomTensor([outChannels, input[1], 3, 3], seed: seed + 1), b)
    }
}

/// How far a Winograd convolution may be from im2col, relative to the sums it rounds.
///
/// Float rounding in a convolution grows with the sum of the absolute values of the terms,
/// `s = conv(|x|, |w|) + |b|`, not with the result (random signs cancel). The Winograd transforms
/// multiply and divide by their interpolation points (F(6x6): up to 2^5 and 21/4 per axis), which
/// amplifies the rounding of the input and weight transforms. Measured on the cases of
/// `WinogradTests` and `WinogradF6Tests` (and on 256 -> 256 at 30 x 30), max |Winograd - im2col| /
/// max s is about 1e-7 for F(2x2), 0.4e-7 to 1.6e-6 for F(4x4) and 0.5e-7 to 2.3e-6 for F(6x6);
/// against the largest output value that is up to 1.3e-5 (F(4x4)) and 1.8e-5 (F(6x6)). The bound
/// `1e-5 * max s` leaves a margin of 4x over the worst case and is still 1e4 times below a wrong
/// matrix entry or a misplaced tile (errors of the order of s itself).
let winogradTolerance: Float = 1e-5

/// `max(conv(|x|, |w|) + |b|)`: the size of the sums the convolution rounds.
func absoluteScale(x: Tensor, w: Tensor, b: Tensor?, padding: Int) -> Float {
    let magnitude = { (t: Tensor) in Tensor(shape: t.shape, scalars: t.scalars.map(abs)) }
    let sums = conv2d(
        magnitude(x), weight: magnitude(w), bias: b.map(magnitude), padding: padding, algorithm: .im2col)
    return sums.scalars.reduce(Float.leastNormalMagnitude) { max($0, $1) }
}

/// `max |actual - expected| <= winogradTolerance * max(conv(|x|, |w|) + |b|)`, shapes equal.
func expectWithinRounding(
    _ actual: Tensor, _ expected: Tensor, x: Tensor, w: Tensor, b: Tensor?, padding: Int,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.shape == expected.shape, sourceLocation: sourceLocation)
    let scale = absoluteScale(x: x, w: w, b: b, padding: padding)
    let difference = maxAbsDifference(actual, expected)
    #expect(
        difference <= winogradTolerance * scale,
        "max |difference| \(difference) for absolute scale \(scale) (ratio \(difference / scale))",
        sourceLocation: sourceLocation)
}

/// `algorithm` against im2col on `c`, twice (the second call uses the kept weight transform and
/// must give the same values).
func expectWinogradMatchesIm2col(
    _ algorithm: Conv2dAlgorithm, _ c: WinogradCase, kernels: KernelSettings = .standard,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let (x, w, b) = c.tensors()
    let expected = conv2d(x, weight: w, bias: b, padding: c.padding, algorithm: .im2col)
    let first = conv2d(x, weight: w, bias: b, padding: c.padding, algorithm: algorithm, kernels: kernels)
    expectWithinRounding(first, expected, x: x, w: w, b: b, padding: c.padding, sourceLocation: sourceLocation)
    let second = conv2d(x, weight: w, bias: b, padding: c.padding, algorithm: algorithm, kernels: kernels)
    #expect(second.scalars == first.scalars, sourceLocation: sourceLocation)
}
