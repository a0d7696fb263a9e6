// Port of HF transformers `HubertPositionalConvEmbedding` and `HubertSamePadLayer`.

/// The convolutional relative position embedding (`encoder.pos_conv_embed`):
/// `gelu(conv(x))` over time, with `conv` a grouped Conv1d (hidden -> hidden, kernel
/// `num_conv_pos_embeddings`, padding `k / 2`, `num_conv_pos_embedding_groups` groups)
/// whose last output frame is dropped when the kernel is even, so the output has as many
/// frames as the input. The encoder adds the result to its input.
///
/// The convolution is weight-normalised over dim 2 (`weight_norm(conv, dim=2)`): the
/// checkpoint stores `g` `[1, 1, k]` and `v` `[out, in / groups, k]` and the effective weight
/// is `w[o, i, t] = g[t] * v[o, i, t] / sqrt(sum_{o', i'} v[o', i', t]^2)`. It is computed once
/// here. Keys: `conv.parametrizations.weight.original0` (`g`), `...original1` (`v`),
/// `conv.bias`; older files' `conv.weight_g` / `conv.weight_v` are renamed to these by
/// ``HubertModel/sanitize(_:)``. With `conv_pos_batch_norm`, a `batch_norm` precedes the
/// convolution.
package struct HubertPositionalConvEmbedding: Sendable {
    /// The effective (normalised) convolution weight, `[hidden, hidden / groups, k]`.
    package let weight: Tensor
    /// `conv.bias`, `[hidden]`.
    package let bias: Tensor?
    /// Channel groups of the convolution.
    package let groups: Int
    /// `batch_norm`, when `conv_pos_batch_norm`.
    package let batchNorm: BatchNorm1d?
    /// Whether the last output frame is dropped (even kernel).
    package let dropsLastFrame: Bool

    /// Binds `conv.*` (and `batch_norm.*`) under `weights` (the `encoder.pos_conv_embed` scope).
    package init(_ weights: WeightBinder, configuration: HubertConfiguration) throws {
        let hidden = configuration.hiddenSize
        let groups = configuration.numConvPosEmbeddingGroups
        let kernel = configuration.numConvPosEmbeddings
        let convWeights = weights.scoped("conv")
        let parametrization = convWeights.scoped("parametrizations.weight")
        guard groups >= 1, hidden % groups == 0 else {
            throw WeightError.invalidConfiguration(
                "'\(convWeights.prefix)': \(hidden) channels cannot be split into \(groups) groups",
                source: weights.sourceName)
        }
        let fanIn = hidden / groups * kernel
        let g = try parametrization.tensor("original0", shape: [1, 1, kernel], .ones)
        let v = try parametrization.tensor("original1", shape: [hidden, hidden / groups, kernel], .fanIn(fanIn))
        self.weight = weightNormalized(g: g, v: v)
        self.bias = try convWeights.tensor("bias", shape: [hidden], .fanIn(fanIn))
        self.groups = groups
        batchNorm =
            configuration.convPosBatchNorm ? try BatchNorm1d(weights.scoped("batch_norm"), channels: hidden) : nil
        dropsLastFrame = kernel % 2 == 0
    }

    /// `[T, hidden]` -> the position embedding `[T, hidden]`.
    package func callAsFunction(_ x: Tensor) -> Tensor {
        let frames = x.shape[0]
        var y = permuted(x, [1, 0]).reshaped([1, x.shape[1], frames])
        if let batchNorm { y = batchNorm(y) }
        y = conv1d(y, weight: weight, bias: bias, padding: weight.shape[2] / 2, groups: groups)
        if dropsLastFrame { y = slice(y, axis: 2, 0..<frames) }
        return permuted(gelu(y).reshaped([x.shape[1], frames]), [1, 0])
    }
}

/// The effective weight of a convolution weight-normalised over its last axis:
/// `v * g / ||v||`, the norm taken over every axis but the last. `g` has `k` elements,
/// `v` is `[out, in, k]`.
func weightNormalized(g: Tensor, v: Tensor) -> Tensor {
    let kernel = v.shape[v.rank - 1]
    let squaredNorms = sum((v * v).reshaped([-1, kernel]), axis: 0)
    let norms = Tensor(shape: [kernel], scalars: squaredNorms.scalars.map { $0.squareRoot() })
    let scale = (g.reshaped([kernel]) / norms).reshaped([1, 1, kernel])
    return v * scale
}
