/// One espnet conformer `EncoderLayer` as the original configures it: macaron feed-forward,
/// relative-position self-attention, convolution module, post-norm (`normalize_before =
/// False`), `concat_after = False` (port of `espnet/nets/pytorch_backend/conformer/encoder_layer.py`).
///
/// Keys: `feed_forward_macaron`, `self_attn`, `conv_module`, `feed_forward` and the LayerNorms
/// (eps 1e-12) `norm_ff_macaron`, `norm_mha`, `norm_conv`, `norm_ff`, `norm_final`:
/// ```
/// x = norm_ff_macaron(x + 0.5 * feed_forward_macaron(x))
/// x = norm_mha(x + self_attn(x, pos))
/// x = norm_conv(x + conv_module(x))
/// x = norm_ff(x + 0.5 * feed_forward(x))
/// x = norm_final(x)
/// ```
package struct ConformerBlock: Sendable {
    /// espnet's LayerNorm epsilon.
    package static let layerNormEpsilon: Float = 1e-12

    /// `feed_forward_macaron`.
    package let feedForwardMacaron: PositionwiseFeedForward
    /// `self_attn`.
    package let selfAttention: RelPositionMultiHeadAttention
    /// `conv_module`.
    package let convolution: ConvolutionModule
    /// `feed_forward`.
    package let feedForward: PositionwiseFeedForward
    /// `norm_ff_macaron`.
    package let normFeedForwardMacaron: LayerNorm
    /// `norm_mha`.
    package let normAttention: LayerNorm
    /// `norm_conv`.
    package let normConvolution: LayerNorm
    /// `norm_ff`.
    package let normFeedForward: LayerNorm
    /// `norm_final`.
    package let normFinal: LayerNorm

    /// Binds one block under `weights` (e.g. `speech_encoder.encoders.2`).
    package init(_ weights: WeightBinder, configuration: LipLatentPredictorConfiguration) throws {
        let width = configuration.latentWidth
        feedForwardMacaron = try PositionwiseFeedForward(
            weights.scoped("feed_forward_macaron"), width: width, units: configuration.linearUnits)
        selfAttention = try RelPositionMultiHeadAttention(
            weights.scoped("self_attn"), width: width, heads: configuration.attentionHeads)
        convolution = try ConvolutionModule(
            weights.scoped("conv_module"), width: width, kernelSize: configuration.convolutionKernelSize)
        feedForward = try PositionwiseFeedForward(
            weights.scoped("feed_forward"), width: width, units: configuration.linearUnits)
        func norm(_ name: String) throws -> LayerNorm {
            try LayerNorm(weights.scoped(name), width: width, eps: ConformerBlock.layerNormEpsilon)
        }
        normFeedForwardMacaron = try norm("norm_ff_macaron")
        normAttention = try norm("norm_mha")
        normConvolution = try norm("norm_conv")
        normFeedForward = try norm("norm_ff")
        normFinal = try norm("norm_final")
    }

    /// `x` `[B, T, d]` with the relative positional table `positions` `[1, 2T - 1, d]`.
    package func callAsFunction(_ x: Tensor, positions: Tensor) -> Tensor {
        var x = normFeedForwardMacaron(x + feedForwardMacaron(x) * 0.5)
        x = normAttention(x + selfAttention(x, positions: positions))
        x = normConvolution(x + convolution(x))
        x = normFeedForward(x + feedForward(x) * 0.5)
        return normFinal(x)
    }
}
