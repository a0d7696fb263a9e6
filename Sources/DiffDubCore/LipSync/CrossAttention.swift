/// The original's `attentionLayer` (`cross_attention`): the speech frames attend to the
/// encoded reference latents.
///
/// Keys: `self_attn` (``MultiheadAttention``, 8 heads in the original), `linear1`, `norm1`
/// (LayerNorm, eps 1e-5), and `linear2`, `norm2`, which the original creates but never uses
/// (they are bound and ignored, so strict binding accepts the checkpoint):
/// ```
/// y = norm1(linear1(self_attn(query = speech, key = value = reference)))
/// ```
/// No activation and no residual connection.
package struct CrossAttention: Sendable {
    /// PyTorch's `LayerNorm` default epsilon, used by `norm1`.
    package static let layerNormEpsilon: Float = 1e-5

    /// `self_attn`.
    package let attention: MultiheadAttention
    /// `linear1`.
    package let linear1: Linear
    /// `norm1`.
    package let norm1: LayerNorm

    /// Binds the layer under `weights` for width `width` and `heads` attention heads.
    package init(_ weights: WeightBinder, width: Int, heads: Int) throws {
        attention = try MultiheadAttention(weights.scoped("self_attn"), width: width, heads: heads)
        linear1 = try Linear(weights.scoped("linear1"), in: width, out: width)
        norm1 = try LayerNorm(weights.scoped("norm1"), width: width, eps: CrossAttention.layerNormEpsilon)
        // Unused by the original's forward pass.
        weights.skip("linear2.weight", shape: [width, width], .fanIn(width))
        weights.skip("linear2.bias", shape: [width], .fanIn(width))
        weights.skip("norm2.weight", shape: [width], .ones)
        weights.skip("norm2.bias", shape: [width], .zeros)
    }

    /// `speech` `[B, T, d]` attending to `reference` `[B, R, d]` -> `[B, T, d]`.
    package func callAsFunction(speech: Tensor, reference: Tensor) -> Tensor {
        norm1(linear1(attention(query: speech, memory: reference)))
    }
}
