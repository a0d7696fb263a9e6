// Port of HF transformers `HubertEncoder` and `HubertEncoderStableLayerNorm`.

/// The transformer encoder (`encoder`): `pos_conv_embed`, `layer_norm`, `layers.<i>`.
///
/// With `x` the projected features `[T, hidden]`, `h0 = x + pos_conv_embed(x)`, then
/// - post-norm (base layout): `h0 = layer_norm(h0)`; `h_i = layers[i-1](h_{i-1})`;
/// - pre-norm (large layout): `h_i = layers[i-1](h_{i-1})`; the encoder's output is
///   `layer_norm(h_n)`.
///
/// ``hiddenStates(_:convention:)`` returns `[h0, h1, ..., hn]`, as HF's `output_hidden_states`
/// does; in the pre-norm layout the last entry is `layer_norm(h_n)` or `h_n` depending on
/// the ``HubertHiddenStateConvention``.
package struct HubertEncoder: Sendable {
    /// `pos_conv_embed`.
    package let positionalEmbedding: HubertPositionalConvEmbedding
    /// `layer_norm`: before the first layer (post-norm) or after the last (pre-norm).
    package let layerNorm: LayerNorm
    /// `layers`.
    package let layers: [HubertEncoderLayer]
    /// Pre-norm order (`do_stable_layer_norm`).
    package let isPreNorm: Bool

    /// Binds the encoder under `weights` (the `encoder` scope).
    package init(_ weights: WeightBinder, configuration: HubertConfiguration) throws {
        positionalEmbedding = try HubertPositionalConvEmbedding(
            weights.scoped("pos_conv_embed"), configuration: configuration)
        layerNorm = try LayerNorm(
            weights.scoped("layer_norm"), width: configuration.hiddenSize, eps: configuration.layerNormEps)
        let layerWeights = weights.scoped("layers")
        layers = try (0..<configuration.numHiddenLayers).map { i in
            try HubertEncoderLayer(layerWeights.scoped("\(i)"), configuration: configuration)
        }
        isPreNorm = configuration.doStableLayerNorm
    }

    /// All hidden states `[h0, ..., hn]`, each `[T, hidden]`, for the projected features
    /// `[T, hidden]`.
    package func hiddenStates(
        _ x: Tensor, convention: HubertHiddenStateConvention = .transformers4
    ) -> [Tensor] {
        var h = x + positionalEmbedding(x)
        // Post-norm normalises before the layers; pre-norm normalises the last state
        // (which is h0 itself when there are no layers).
        let normalizesLast = isPreNorm && convention == .transformers4
        if !isPreNorm || (layers.isEmpty && normalizesLast) { h = layerNorm(h) }
        var states = [h]
        states.reserveCapacity(layers.count + 1)
        for (i, layer) in layers.enumerated() {
            h = layer(h)
            if normalizesLast && i == layers.count - 1 { h = layerNorm(h) }
            states.append(h)
        }
        return states
    }
}

/// Which tensor the pre-norm ("stable layer norm") encoder reports as its last hidden state.
/// The two major versions of HF transformers differ here; the post-norm layout is unaffected.
package enum HubertHiddenStateConvention: Sendable, Equatable {
    /// The encoder's output after its final LayerNorm (transformers 4.x, with which DiffDub's
    /// features, and so its stage-2 training data, were computed). The default.
    case transformers4
    /// The last layer's output before the final LayerNorm (transformers 5, whose
    /// `HubertModel` no longer ties `hidden_states[-1]` to `last_hidden_state`).
    case transformers5
}
