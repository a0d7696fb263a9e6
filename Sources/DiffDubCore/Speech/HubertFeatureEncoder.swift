// Port of HF transformers `HubertFeatureEncoder` and its conv layers
// (models/hubert/modeling_hubert.py).

/// One convolution of the feature extractor (`feature_extractor.conv_layers.<i>`):
/// `conv` (stride from the configuration, no padding), then the layout's normalisation,
/// then GELU.
///
/// - *layer* layout: `conv` -> LayerNorm over the channels (`layer_norm`, eps 1e-5) -> GELU;
/// - *group* layout, first layer: `conv` -> GroupNorm with one group per channel
///   (`layer_norm`, eps 1e-5) -> GELU;
/// - *group* layout, other layers: `conv` -> GELU.
package struct HubertFeatureConvLayer: Sendable {
    /// How this layer normalises.
    package enum Normalization: Sendable {
        /// No normalisation.
        case none
        /// LayerNorm over the channels of each time step.
        case layer(LayerNorm)
        /// GroupNorm, one group per channel (normalises each channel over time).
        case group(GroupNorm)
    }

    /// The convolution, `[out, in, k]`.
    package let conv: Conv1d
    /// The normalisation after the convolution.
    package let normalization: Normalization

    /// Binds `conv.weight` `[out, in, kernel]` (`conv.bias` when `bias`) and `layer_norm.*` if
    /// the layout has one.
    package init(
        _ weights: WeightBinder, in inChannels: Int, out outChannels: Int, kernel: Int, stride: Int, bias: Bool,
        norm: HubertConfiguration.FeatureExtractorNorm, isFirst: Bool
    ) throws {
        conv = try Conv1d(
            weights.scoped("conv"), in: inChannels, out: outChannels, kernel: kernel, stride: stride, bias: bias)
        switch norm {
        case .layer:
            normalization = .layer(try LayerNorm(weights.scoped("layer_norm"), width: outChannels, eps: 1e-5))
        case .group where isFirst:
            normalization = .group(
                try GroupNorm(weights.scoped("layer_norm"), channels: outChannels, groups: outChannels, eps: 1e-5))
        case .group:
            normalization = .none
        }
    }

    /// `[1, in, L]` -> `[1, out, (L - k) / stride + 1]`.
    package func callAsFunction(_ x: Tensor) -> Tensor {
        var y = conv(x)
        switch normalization {
        case .none:
            break
        case .layer(let norm):
            y = permuted(norm(permuted(y, [0, 2, 1])), [0, 2, 1])
        case .group(let norm):
            y = norm(y)
        }
        return gelu(y)
    }
}

/// The convolutional feature extractor (`feature_extractor`): the raw waveform `[1, L]`
/// through the conv layers -> `[1, conv_dim[-1], frames]`, one frame per
/// ``HubertConfiguration/frameHop`` samples.
package struct HubertFeatureEncoder: Sendable {
    /// `conv_layers.<i>`.
    package let convLayers: [HubertFeatureConvLayer]

    /// Binds `conv_layers.0 ...` under `weights` (the `feature_extractor` scope).
    package init(_ weights: WeightBinder, configuration: HubertConfiguration) throws {
        let layers = weights.scoped("conv_layers")
        convLayers = try configuration.convStride.indices.map { i in
            try HubertFeatureConvLayer(
                layers.scoped("\(i)"), in: i == 0 ? 1 : configuration.convDim[i - 1], out: configuration.convDim[i],
                kernel: configuration.convKernel[i], stride: configuration.convStride[i], bias: configuration.convBias,
                norm: configuration.featExtractNorm, isFirst: i == 0)
        }
    }

    /// `[1, L]` normalised samples -> `[1, C, frames]`.
    package func callAsFunction(_ inputValues: Tensor) -> Tensor {
        var x = inputValues.reshaped([1, 1, -1])
        for layer in convLayers { x = layer(x) }
        return x
    }
}

/// `feature_projection`: optional LayerNorm over the conv channels (`layer_norm`,
/// eps `layer_norm_eps`), then `projection` (Linear conv_dim[-1] -> hidden).
package struct HubertFeatureProjection: Sendable {
    /// `layer_norm`, when `feat_proj_layer_norm`.
    package let layerNorm: LayerNorm?
    /// `projection`.
    package let projection: Linear

    /// Binds `layer_norm.*` (if configured) and `projection.*`.
    package init(_ weights: WeightBinder, configuration: HubertConfiguration) throws {
        let channels = configuration.convDim.last ?? 1
        layerNorm =
            configuration.featProjLayerNorm
            ? try LayerNorm(weights.scoped("layer_norm"), width: channels, eps: configuration.layerNormEps) : nil
        projection = try Linear(weights.scoped("projection"), in: channels, out: configuration.hiddenSize)
    }

    /// `[T, C]` -> `[T, hidden]`.
    package func callAsFunction(_ x: Tensor) -> Tensor {
        projection(layerNorm.map { $0(x) } ?? x)
    }
}
