/// `torch.nn.GroupNorm`: keys `weight` and `bias` `[C]`.
package struct GroupNorm: Sendable {
    /// Per-channel scale.
    package let weight: Tensor
    /// Per-channel shift.
    package let bias: Tensor
    /// Number of channel groups.
    package let groups: Int
    /// Added to the variance.
    package let eps: Float

    /// Binds the affine parameters `weight` and `bias` `[channels]` (random: ones and zeros);
    /// `groups` must divide `channels`.
    package init(_ weights: WeightBinder, channels: Int, groups: Int, eps: Float = 1e-5) throws {
        guard groups >= 1, channels % groups == 0 else {
            throw WeightError.invalidConfiguration(
                "'\(weights.key("weight"))': \(channels) channels cannot be divided into \(groups) groups",
                source: weights.sourceName)
        }
        self.weight = try weights.tensor("weight", shape: [channels], .ones)
        self.bias = try weights.tensor("bias", shape: [channels], .zeros)
        self.groups = groups
        self.eps = eps
    }

    /// Channels.
    package var channels: Int { weight.shape[0] }

    /// Normalises `[N, C, ...]`.
    package func callAsFunction(_ x: Tensor) -> Tensor {
        groupNorm(x, groups: groups, weight: weight, bias: bias, eps: eps)
    }
}

/// `torch.nn.LayerNorm` over the last axis: keys `weight` and `bias` `[C]`.
package struct LayerNorm: Sendable {
    /// Per-feature scale.
    package let weight: Tensor
    /// Per-feature shift.
    package let bias: Tensor
    /// Added to the variance (espnet's conformer uses 1e-12, PyTorch's default is 1e-5).
    package let eps: Float

    /// Binds the affine parameters `weight` and `bias` `[width]` (random: ones and zeros).
    package init(_ weights: WeightBinder, width: Int, eps: Float) throws {
        self.weight = try weights.tensor("weight", shape: [width], .ones)
        self.bias = try weights.tensor("bias", shape: [width], .zeros)
        self.eps = eps
    }

    /// Normalises the last axis of `x`.
    package func callAsFunction(_ x: Tensor) -> Tensor {
        layerNorm(x, weight: weight, bias: bias, eps: eps)
    }
}

/// `torch.nn.BatchNorm1d` in inference mode: keys `weight`, `bias`, `running_mean`,
/// `running_var` `[C]` (and `num_batches_tracked`, which inference ignores).
package struct BatchNorm1d: Sendable {
    /// Per-channel scale.
    package let weight: Tensor
    /// Per-channel shift.
    package let bias: Tensor
    /// Running mean.
    package let runningMean: Tensor
    /// Running (biased) variance.
    package let runningVariance: Tensor
    /// Added to the variance.
    package let eps: Float

    /// Binds the parameters and running statistics, all `[channels]` (random: scale and
    /// variance ones, shift and mean zeros); `num_batches_tracked` is skipped.
    package init(_ weights: WeightBinder, channels: Int, eps: Float = 1e-5) throws {
        self.weight = try weights.tensor("weight", shape: [channels], .ones)
        self.bias = try weights.tensor("bias", shape: [channels], .zeros)
        self.runningMean = try weights.tensor("running_mean", shape: [channels], .zeros)
        self.runningVariance = try weights.tensor("running_var", shape: [channels], .ones)
        weights.skip("num_batches_tracked", shape: [], .zeros, storedAs: .int64)
        self.eps = eps
    }

    /// Normalises axis 1 of `[N, C, L]`.
    package func callAsFunction(_ x: Tensor) -> Tensor {
        batchNorm(
            x, runningMean: runningMean, runningVariance: runningVariance, weight: weight, bias: bias,
            eps: eps)
    }
}
