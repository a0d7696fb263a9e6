/// `torch.nn.Conv2d` with stride 1 and "same" padding (`k / 2`): keys `weight`
/// `[out, in, k, k]` and optional `bias` `[out]`.
public struct Conv2d: Sendable {
    /// `[out, in, k, k]`.
    public let weight: Tensor
    /// `[out]`, if the layer has one.
    public let bias: Tensor?
    /// Zero padding on every side.
    public let padding: Int

    /// Binds `weight` (and `bias`) under `weights`; `padding` defaults to `k / 2`.
    public init(_ weights: WeightBinder, padding: Int? = nil) throws {
        let shape = try weights.requireShape(of: "weight")
        guard shape.count == 4, shape[2] == shape[3] else {
            throw WeightError.invalidConfiguration(
                "'\(weights.key("weight"))' should be [out, in, k, k], has shape \(shape)",
                source: weights.stateDict.source)
        }
        self.weight = try weights.tensor("weight")
        self.bias = try weights.optionalTensor("bias", shape: [shape[0]])
        self.padding = padding ?? shape[2] / 2
    }

    /// A layer from tensors in memory.
    public init(weight: Tensor, bias: Tensor?, padding: Int? = nil) {
        self.weight = weight
        self.bias = bias
        self.padding = padding ?? weight.shape[2] / 2
    }

    /// Input channels.
    public var inChannels: Int { weight.shape[1] }
    /// Output channels.
    public var outChannels: Int { weight.shape[0] }

    /// Convolves `[N, in, H, W]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        conv2d(x, weight: weight, bias: bias, padding: padding)
    }
}
