/// SyncNet's fully connected head (`netfcaud` or `netfclip` in SyncNetModel.py), from the
/// 512 features of a convolution stack to the embedding:
///
/// Keys: `0` (`Linear(512, 512)`), `1` (`BatchNorm1d(512)`, folded into `0` when bound), `3`
/// (`Linear(512, embedding)`).
/// ```
/// h = relu(batchNorm1(linear0(x)))
/// return linear3(h)
/// ```
package struct SyncNetHead: Sendable {
    /// `0` with `1` folded in: `[512, 512]` weight and bias.
    package let hidden: Linear
    /// `3`: `[embedding, 512]`.
    package let output: Linear

    /// Binds the head under `weights` (`netfcaud` or `netfclip`).
    ///
    /// - Throws: ``WeightError`` naming the key of a missing or misshapen tensor.
    package init(_ weights: WeightBinder, features: Int = 512, embedding: Int, eps: Float = 1e-5) throws {
        let linear = try Linear(weights.scoped("0"), in: features, out: features)
        let norm = weights.scoped("1")
        let channels = [features]
        let gamma = try norm.tensor("weight", shape: channels, .ones).scalars
        let beta = try norm.tensor("bias", shape: channels, .zeros).scalars
        let mean = try norm.tensor("running_mean", shape: channels, .zeros).scalars
        let variance = try norm.tensor("running_var", shape: channels, .ones).scalars
        norm.skip("num_batches_tracked", shape: [], .zeros, storedAs: .int64)
        let scale = (0..<features).map { gamma[$0] / (variance[$0] + eps).squareRoot() }
        let bias = linear.bias?.scalars ?? [Float](repeating: 0, count: features)
        hidden = Linear(
            weight: linear.weight * Tensor(shape: [features, 1], scalars: scale),
            bias: Tensor(shape: channels, scalars: (0..<features).map { (bias[$0] - mean[$0]) * scale[$0] + beta[$0] }))
        output = try Linear(weights.scoped("3"), in: features, out: embedding)
    }

    /// `[N, 512]` -> `[N, embedding]`.
    package func callAsFunction(_ x: Tensor) -> Tensor {
        output(relu(hidden(x)))
    }
}
