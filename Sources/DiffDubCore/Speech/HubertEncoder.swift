// Port of HF transformers `HubertEncoder` and `HubertEncoderStableLayerNorm`.

/// The transformer encoder (`encoder`): `pos_conv_embed`, `layer_norm`, `layers.<i>`.
///
/// With `x` the projected features `[T, hidden]`, `h0 = x + pos_conv_embed(x)`, then
/// - post-norm (base layout): `h0 = layer_norm(h0)`; `h_i = layers[i-1](h_{i-1})`;
/// - pre-norm (large layout): `h_i = layers[i-1](h_{i-1})` and the last one is
///   `layer_norm(layers[n-1](h_{n-1}))`.
///
/// ``hiddenStates(_:)`` returns `[h0, h1, ..., hn]`, as HF's `output_hidden_states` does.
public struct HubertEncoder: Sendable {
    /// `pos_conv_embed`.
    public let positionalEmbedding: HubertPositionalConvEmbedding
    /// `layer_norm`: before the first layer (post-norm) or after the last (pre-norm).
    public let layerNorm: LayerNorm
    /// `layers`.
    public let layers: [HubertEncoderLayer]
    /// Pre-norm order (`do_stable_layer_norm`).
    public let isPreNorm: Bool

    /// Binds the encoder under `weights` (the `encoder` scope).
    public init(_ weights: WeightBinder, configuration: HubertConfiguration) throws {
        positionalEmbedding = try HubertPositionalConvEmbedding(
            weights.scoped("pos_conv_embed"), configuration: configuration)
        layerNorm = try LayerNorm(weights.scoped("layer_norm"), eps: configuration.layerNormEps)
        let layerWeights = weights.scoped("layers")
        layers = try (0..<configuration.numHiddenLayers).map { i in
            try HubertEncoderLayer(layerWeights.scoped("\(i)"), configuration: configuration)
        }
        isPreNorm = configuration.doStableLayerNorm
    }

    /// All hidden states `[h0, ..., hn]`, each `[T, hidden]`, for the projected features
    /// `[T, hidden]`.
    public func hiddenStates(_ x: Tensor) -> [Tensor] {
        var h = x + positionalEmbedding(x)
        // Post-norm normalises before the layers; pre-norm normalises the last state
        // (which is h0 itself when there are no layers).
        if !isPreNorm || layers.isEmpty { h = layerNorm(h) }
        var states = [h]
        states.reserveCapacity(layers.count + 1)
        for (i, layer) in layers.enumerated() {
            h = layer(h)
            if isPreNorm && i == layers.count - 1 { h = layerNorm(h) }
            states.append(h)
        }
        return states
    }
}
