// Port of HF transformers `HubertEncoderLayer` and `HubertEncoderLayerStableLayerNorm`.

/// One transformer layer (`encoder.layers.<i>`): `attention`, `layer_norm`, `feed_forward`,
/// `final_layer_norm`, in one of two orders.
///
/// - Post-norm (`do_stable_layer_norm = false`, base layout):
///   `h = layer_norm(x + attention(x))`, then `final_layer_norm(h + feed_forward(h))`.
/// - Pre-norm (`do_stable_layer_norm = true`, large layout):
///   `h = x + attention(layer_norm(x))`, then `h + feed_forward(final_layer_norm(h))`.
package struct HubertEncoderLayer: Sendable {
    /// `attention`.
    package let attention: HubertAttention
    /// `layer_norm`.
    package let layerNorm: LayerNorm
    /// `feed_forward`.
    package let feedForward: HubertFeedForward
    /// `final_layer_norm`.
    package let finalLayerNorm: LayerNorm
    /// Pre-norm order.
    package let isPreNorm: Bool

    /// Binds the layer's sub-modules under `weights`.
    package init(_ weights: WeightBinder, configuration: HubertConfiguration) throws {
        let hidden = configuration.hiddenSize
        attention = try HubertAttention(
            weights.scoped("attention"), hidden: hidden, heads: configuration.numAttentionHeads)
        layerNorm = try LayerNorm(weights.scoped("layer_norm"), width: hidden, eps: configuration.layerNormEps)
        feedForward = try HubertFeedForward(
            weights.scoped("feed_forward"), hidden: hidden, intermediate: configuration.intermediateSize)
        finalLayerNorm = try LayerNorm(
            weights.scoped("final_layer_norm"), width: hidden, eps: configuration.layerNormEps)
        isPreNorm = configuration.doStableLayerNorm
    }

    /// `[T, hidden]` -> `[T, hidden]`.
    package func callAsFunction(_ x: Tensor) -> Tensor {
        if isPreNorm {
            let h = x + attention(layerNorm(x))
            return h + feedForward(finalLayerNorm(h))
        }
        let h = layerNorm(x + attention(x))
        return finalLayerNorm(h + feedForward(h))
    }
}
