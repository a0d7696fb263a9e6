/// `torch.nn.Linear`: keys `weight` `[out, in]` and `bias` `[out]` (when the layer has one).
package struct Linear: Sendable {
    /// `[out, in]`.
    package let weight: Tensor
    /// `[out]`, if the layer has one.
    package let bias: Tensor?

    /// Binds `weight` `[out, in]` (and `bias` `[out]`) under `weights`; random weights are
    /// uniform in `±1/sqrt(in)`.
    package init(_ weights: WeightBinder, in inFeatures: Int, out outFeatures: Int, bias hasBias: Bool = true) throws {
        self.weight = try weights.tensor("weight", shape: [outFeatures, inFeatures], .fanIn(inFeatures))
        self.bias = hasBias ? try weights.tensor("bias", shape: [outFeatures], .fanIn(inFeatures)) : nil
    }

    /// A layer from tensors in memory.
    package init(weight: Tensor, bias: Tensor?) {
        self.weight = weight
        self.bias = bias
    }

    /// Input features.
    package var inFeatures: Int { weight.shape[1] }
    /// Output features.
    package var outFeatures: Int { weight.shape[0] }

    /// `x W^T + b` over the last axis of `x`.
    package func callAsFunction(_ x: Tensor) -> Tensor { linear(x, weight: weight, bias: bias) }
}
