/// `torch.nn.Linear`: keys `weight` `[out, in]` and optional `bias` `[out]`.
public struct Linear: Sendable {
    /// `[out, in]`.
    public let weight: Tensor
    /// `[out]`, if the layer has one.
    public let bias: Tensor?

    /// Binds `weight` (and `bias` if present) under `weights`.
    public init(_ weights: WeightBinder) throws {
        let shape = try weights.requireShape(of: "weight")
        guard shape.count == 2 else {
            throw WeightError.invalidConfiguration(
                "'\(weights.key("weight"))' should be a matrix, has shape \(shape)",
                source: weights.stateDict.source)
        }
        self.weight = try weights.tensor("weight")
        self.bias = try weights.optionalTensor("bias", shape: [shape[0]])
    }

    /// A layer from tensors in memory.
    public init(weight: Tensor, bias: Tensor?) {
        self.weight = weight
        self.bias = bias
    }

    /// Input features.
    public var inFeatures: Int { weight.shape[1] }
    /// Output features.
    public var outFeatures: Int { weight.shape[0] }

    /// `x W^T + b` over the last axis of `x`.
    public func callAsFunction(_ x: Tensor) -> Tensor { linear(x, weight: weight, bias: bias) }
}
