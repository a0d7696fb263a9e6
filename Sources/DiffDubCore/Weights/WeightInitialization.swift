/// How a ``WeightBinder`` over random weights fills a tensor, and the one initialisation rule
/// of the project's random models (tests, benchmarks, the demo).
///
/// - ``fanIn(_:)``: uniform in `±1 / sqrt(fanIn)`, PyTorch's default scale for the weights and
///   biases of `Linear` and `Conv*d` (`fanIn` = inputs per output: `in * k * k / groups`);
///   also used for other learned vectors (attention position biases, layer-mixing logits).
/// - ``ones``: normalisation scales, running variances, weight-norm magnitudes.
/// - ``zeros``: normalisation shifts, running means, counters.
///
/// A binder over a checkpoint ignores the initialisation; it only checks the shape.
package enum WeightInitialization: Sendable, Hashable {
    /// Uniform in `±1 / sqrt(fanIn)`.
    case fanIn(Int)
    /// All ones.
    case ones
    /// All zeros.
    case zeros

    /// A tensor of `shape` filled by this rule; `seed` decides the values of ``fanIn(_:)``.
    func tensor(shape: [Int], seed: UInt64) -> Tensor {
        switch self {
        case .fanIn(let fanIn):
            uniformRandomTensor(shape, center: 0, halfWidth: 1 / Float(max(fanIn, 1)).squareRoot(), seed: seed)
        case .ones:
            Tensor(shape: shape, repeating: 1)
        case .zeros:
            Tensor(zeros: shape)
        }
    }
}
