// Port of HF transformers `HubertAttention` (self-attention, no mask, inference).

/// Multi-head self-attention (`attention`): `q_proj`, `k_proj`, `v_proj`, `out_proj`
/// (Linear hidden -> hidden with bias). Per head `h` of width `d = hidden / heads`:
/// `softmax(q_h k_h^T / sqrt(d)) v_h`; heads concatenated, then `out_proj`.
package struct HubertAttention: Sendable {
    /// `q_proj`.
    package let queryProjection: Linear
    /// `k_proj`.
    package let keyProjection: Linear
    /// `v_proj`.
    package let valueProjection: Linear
    /// `out_proj`.
    package let outputProjection: Linear
    /// Number of heads.
    package let heads: Int

    /// Binds the four projections (`hidden -> hidden`) under `weights`.
    package init(_ weights: WeightBinder, hidden: Int, heads: Int) throws {
        queryProjection = try Linear(weights.scoped("q_proj"), in: hidden, out: hidden)
        keyProjection = try Linear(weights.scoped("k_proj"), in: hidden, out: hidden)
        valueProjection = try Linear(weights.scoped("v_proj"), in: hidden, out: hidden)
        outputProjection = try Linear(weights.scoped("out_proj"), in: hidden, out: hidden)
        self.heads = heads
    }

    /// `[T, hidden]` -> `[T, hidden]`.
    package func callAsFunction(_ x: Tensor) -> Tensor {
        let frames = x.shape[0]
        let hidden = queryProjection.outFeatures
        let width = hidden / heads
        func split(_ t: Tensor) -> Tensor {
            permuted(t.reshaped([frames, heads, width]), [1, 0, 2])
        }
        let attended = scaledDotProductAttention(
            query: split(queryProjection(x)), key: split(keyProjection(x)),
            value: split(valueProjection(x)), scale: 1 / Float(width).squareRoot())
        return outputProjection(permuted(attended, [1, 0, 2]).reshaped([frames, hidden]))
    }
}

/// The position-wise feed-forward block (`feed_forward`):
/// `output_dense(gelu(intermediate_dense(x)))`.
package struct HubertFeedForward: Sendable {
    /// `intermediate_dense`, hidden -> intermediate.
    package let intermediateDense: Linear
    /// `output_dense`, intermediate -> hidden.
    package let outputDense: Linear

    /// Binds both linear maps under `weights`.
    package init(_ weights: WeightBinder, hidden: Int, intermediate: Int) throws {
        intermediateDense = try Linear(weights.scoped("intermediate_dense"), in: hidden, out: intermediate)
        outputDense = try Linear(weights.scoped("output_dense"), in: intermediate, out: hidden)
    }

    /// `[T, hidden]` -> `[T, hidden]`.
    package func callAsFunction(_ x: Tensor) -> Tensor {
        outputDense(gelu(intermediateDense(x)))
    }
}
