/// A bias-free `torch.nn.Conv2d` followed by an inference-mode `BatchNorm2d`, folded into one
/// convolution when the weights are bound:
/// `a[o] = gamma[o] / sqrt(runningVar[o] + eps)`, `w'[o] = w[o] * a[o]`,
/// `b'[o] = beta[o] - runningMean[o] * a[o]`, so `y = conv(x, w', stride, padding) + b'`.
///
/// The convolution's keys are `weight` under `conv`; the norm's are `weight`, `bias`,
/// `running_mean`, `running_var` (and `num_batches_tracked`, skipped) under `batchNorm`.
package struct ConvBatchNorm: Sendable {
    /// Folded weight `[out, in, kh, kw]`.
    package let weight: Tensor
    /// Folded bias `[out]`.
    package let bias: Tensor
    /// Convolution stride.
    package let stride: Int
    /// Zero padding on every side.
    package let padding: Int

    /// Binds and folds a `kernel x kernel` convolution `in -> out` (`conv.weight`
    /// `[out, in, k, k]`, random: uniform `±1/sqrt(in k k)`) and its batch norm (`[out]` each;
    /// random: scale and variance 1, shift and mean 0).
    package init(
        conv: WeightBinder, batchNorm: WeightBinder, in inChannels: Int, out outChannels: Int, kernel: Int,
        stride: Int, padding: Int, eps: Float = 1e-5
    ) throws {
        let raw = try conv.tensor(
            "weight", shape: [outChannels, inChannels, kernel, kernel], .fanIn(inChannels * kernel * kernel))
        let channels = [outChannels]
        let gamma = try batchNorm.tensor("weight", shape: channels, .ones).scalars
        let beta = try batchNorm.tensor("bias", shape: channels, .zeros).scalars
        let mean = try batchNorm.tensor("running_mean", shape: channels, .zeros).scalars
        let variance = try batchNorm.tensor("running_var", shape: channels, .ones).scalars
        batchNorm.skip("num_batches_tracked", shape: [], .zeros, storedAs: .int64)
        let scale = (0..<outChannels).map { gamma[$0] / (variance[$0] + eps).squareRoot() }
        self.weight = raw * Tensor(shape: [outChannels, 1, 1, 1], scalars: scale)
        self.bias = Tensor(shape: channels, scalars: (0..<outChannels).map { beta[$0] - mean[$0] * scale[$0] })
        self.stride = stride
        self.padding = padding
    }

    /// Output channels.
    package var outChannels: Int { weight.shape[0] }

    /// Convolves and normalises `[N, in, H, W]` (no activation).
    package func callAsFunction(_ x: Tensor) -> Tensor {
        conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
    }
}

