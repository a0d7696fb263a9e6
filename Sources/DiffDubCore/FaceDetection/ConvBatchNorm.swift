/// A bias-free `torch.nn.Conv2d` followed by an inference-mode `BatchNorm2d`, folded into one
/// convolution when the weights are bound:
/// `a[o] = gamma[o] / sqrt(runningVar[o] + eps)`, `w'[o] = w[o] * a[o]`,
/// `b'[o] = beta[o] - runningMean[o] * a[o]`, so `y = conv(x, w', stride, padding) + b'`.
///
/// The convolution's keys are `weight` under `conv`; the norm's are `weight`, `bias`,
/// `running_mean`, `running_var` (and `num_batches_tracked`, skipped) under `batchNorm`.
public struct ConvBatchNorm: Sendable {
    /// Folded weight `[out, in, kh, kw]`.
    public let weight: Tensor
    /// Folded bias `[out]`.
    public let bias: Tensor
    /// Convolution stride.
    public let stride: Int
    /// Zero padding on every side.
    public let padding: Int

    /// Binds and folds a convolution and its batch norm.
    public init(conv: WeightBinder, batchNorm: WeightBinder, stride: Int, padding: Int, eps: Float = 1e-5) throws {
        let shape = try conv.requireShape(of: "weight")
        guard shape.count == 4 else {
            throw WeightError.invalidConfiguration(
                "'\(conv.key("weight"))' should be [out, in, kh, kw], has shape \(shape)", source: conv.sourceName)
        }
        let raw = try conv.tensor("weight", shape: shape, .fanIn(shape[1] * shape[2] * shape[3]))
        let channels = [shape[0]]
        let gamma = try batchNorm.tensor("weight", shape: channels, .ones).scalars
        let beta = try batchNorm.tensor("bias", shape: channels, .zeros).scalars
        let mean = try batchNorm.tensor("running_mean", shape: channels, .zeros).scalars
        let variance = try batchNorm.tensor("running_var", shape: channels, .ones).scalars
        batchNorm.skip("num_batches_tracked", shape: [], .zeros, storedAs: .int64)
        let scale = (0..<shape[0]).map { gamma[$0] / (variance[$0] + eps).squareRoot() }
        self.weight = raw * Tensor(shape: [shape[0], 1, 1, 1], scalars: scale)
        self.bias = Tensor(shape: channels, scalars: (0..<shape[0]).map { beta[$0] - mean[$0] * scale[$0] })
        self.stride = stride
        self.padding = padding
    }

    /// Output channels.
    public var outChannels: Int { weight.shape[0] }

    /// Convolves and normalises `[N, in, H, W]` (no activation).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
    }
}

extension Conv2d {
    /// A convolution whose sizes only the checkpoint knows (the face models' heads): reads the
    /// stored `[out, in, k, k]` shape, then binds it like ``init(_:in:out:kernel:padding:bias:)``.
    init(storedShapeIn weights: WeightBinder, padding: Int) throws {
        let shape = try weights.requireShape(of: "weight")
        guard shape.count == 4, shape[2] == shape[3] else {
            throw WeightError.invalidConfiguration(
                "'\(weights.key("weight"))' should be [out, in, k, k], has shape \(shape)", source: weights.sourceName)
        }
        try self.init(weights, in: shape[1], out: shape[0], kernel: shape[2], padding: padding)
    }
}
