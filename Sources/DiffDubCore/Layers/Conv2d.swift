/// `torch.nn.Conv2d` with stride 1 and "same" padding (`k / 2`) by default: keys `weight`
/// `[out, in, k, k]` and `bias` `[out]` (when the layer has one).
package struct Conv2d: Sendable {
    /// `[out, in, k, k]`.
    package let weight: Tensor
    /// `[out]`, if the layer has one.
    package let bias: Tensor?
    /// Zero padding on every side.
    package let padding: Int

    /// Binds `weight` `[out, in, k, k]` (and `bias` `[out]`) under `weights`; `padding`
    /// defaults to `k / 2`. Random weights are uniform in `±1/sqrt(in k k)`.
    package init(
        _ weights: WeightBinder, in inChannels: Int, out outChannels: Int, kernel: Int, padding: Int? = nil,
        bias hasBias: Bool = true
    ) throws {
        let fanIn = inChannels * kernel * kernel
        self.weight = try weights.tensor("weight", shape: [outChannels, inChannels, kernel, kernel], .fanIn(fanIn))
        self.bias = hasBias ? try weights.tensor("bias", shape: [outChannels], .fanIn(fanIn)) : nil
        self.padding = padding ?? kernel / 2
    }

    /// A layer from tensors in memory.
    package init(weight: Tensor, bias: Tensor?, padding: Int? = nil) {
        self.weight = weight
        self.bias = bias
        self.padding = padding ?? weight.shape[2] / 2
    }

    /// Input channels.
    package var inChannels: Int { weight.shape[1] }
    /// Output channels.
    package var outChannels: Int { weight.shape[0] }

    /// Convolves `[N, in, H, W]` with the arithmetic of `kernels`.
    package func callAsFunction(_ x: Tensor, kernels: KernelSettings = .standard) -> Tensor {
        conv2d(x, weight: weight, bias: bias, padding: padding, kernels: kernels)
    }

    /// `self(x) + residual` in one pass over the output (``conv2d(_:weight:bias:padding:adding:kernels:)``):
    /// the convolution that closes a residual block.
    package func callAsFunction(_ x: Tensor, adding residual: Tensor, kernels: KernelSettings = .standard) -> Tensor {
        conv2d(x, weight: weight, bias: bias, padding: padding, adding: residual, kernels: kernels)
    }
}
