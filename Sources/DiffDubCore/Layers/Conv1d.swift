/// `torch.nn.Conv1d`: keys `weight` `[out, in / groups, k]` and optional `bias` `[out]`.
/// Stride, padding and groups are not stored in a checkpoint: the model passes them.
public struct Conv1d: Sendable {
    /// `[out, in / groups, k]`.
    public let weight: Tensor
    /// `[out]`, if the layer has one.
    public let bias: Tensor?
    /// Step between output positions.
    public let stride: Int
    /// Zero padding on both ends.
    public let padding: Int
    /// Number of channel groups (`in` for depthwise).
    public let groups: Int

    /// Binds `weight` (and `bias`) under `weights`.
    public init(_ weights: WeightBinder, stride: Int = 1, padding: Int = 0, groups: Int = 1) throws {
        let shape = try weights.requireShape(of: "weight")
        guard shape.count == 3, groups >= 1, shape[0] % groups == 0 else {
            throw WeightError.invalidConfiguration(
                "'\(weights.key("weight"))' should be [out, in/groups, k] with groups \(groups), has shape \(shape)",
                source: weights.stateDict.source)
        }
        self.weight = try weights.tensor("weight")
        self.bias = try weights.optionalTensor("bias", shape: [shape[0]])
        self.stride = stride
        self.padding = padding
        self.groups = groups
    }

    /// Kernel width.
    public var kernelSize: Int { weight.shape[2] }
    /// Output channels.
    public var outChannels: Int { weight.shape[0] }

    /// Convolves `[N, in, L]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        conv1d(x, weight: weight, bias: bias, stride: stride, padding: padding, groups: groups)
    }
}
