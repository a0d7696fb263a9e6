/// `torch.nn.Conv1d`: keys `weight` `[out, in / groups, k]` and `bias` `[out]` (when the layer
/// has one). Stride, padding and groups are not stored in a checkpoint: the model passes them.
package struct Conv1d: Sendable {
    /// `[out, in / groups, k]`.
    package let weight: Tensor
    /// `[out]`, if the layer has one.
    package let bias: Tensor?
    /// Step between output positions.
    package let stride: Int
    /// Zero padding on both ends.
    package let padding: Int
    /// Number of channel groups (`in` for depthwise).
    package let groups: Int

    /// Binds `weight` (and `bias`) of a convolution `in -> out` with kernel `kernel` under
    /// `weights`; random weights are uniform in `±1/sqrt(in / groups * kernel)`.
    package init(
        _ weights: WeightBinder, in inChannels: Int, out outChannels: Int, kernel: Int, stride: Int = 1,
        padding: Int = 0, groups: Int = 1, bias hasBias: Bool = true
    ) throws {
        guard groups >= 1, inChannels % groups == 0, outChannels % groups == 0 else {
            throw WeightError.invalidConfiguration(
                "'\(weights.key("weight"))': \(inChannels) -> \(outChannels) channels cannot be split into \(groups) groups",
                source: weights.sourceName)
        }
        let fanIn = inChannels / groups * kernel
        self.weight = try weights.tensor("weight", shape: [outChannels, inChannels / groups, kernel], .fanIn(fanIn))
        self.bias = hasBias ? try weights.tensor("bias", shape: [outChannels], .fanIn(fanIn)) : nil
        self.stride = stride
        self.padding = padding
        self.groups = groups
    }

    /// Kernel width.
    package var kernelSize: Int { weight.shape[2] }
    /// Output channels.
    package var outChannels: Int { weight.shape[0] }

    /// Convolves `[N, in, L]` with the arithmetic of `kernels`.
    package func callAsFunction(_ x: Tensor, kernels: KernelSettings = .standard) -> Tensor {
        conv1d(x, weight: weight, bias: bias, stride: stride, padding: padding, groups: groups, kernels: kernels)
    }
}
