/// The hyper-parameters of a Hubert model, as HF transformers' `HubertConfig` writes them
/// into `config.json` (snake_case keys; keys this port does not need are ignored, missing
/// optional keys take transformers' defaults).
///
/// Two layouts exist in the released checkpoints:
/// - *large* (`chinese-hubert-large`, `hubert-large-ll60k`): `feat_extract_norm = "layer"`,
///   `do_stable_layer_norm = true`, `conv_bias = true`;
/// - *base* (`hubert-base-ls960`): `feat_extract_norm = "group"`, `do_stable_layer_norm = false`,
///   `conv_bias = false`.
public struct HubertConfiguration: Codable, Sendable, Equatable {
    /// How the convolutional feature extractor normalises.
    package enum FeatureExtractorNorm: String, Codable, Sendable {
        /// GroupNorm with one group per channel after the first convolution only.
        case group
        /// LayerNorm over the channels after every convolution.
        case layer
    }

    /// Transformer width (1024 in the large model).
    package var hiddenSize: Int
    /// Number of transformer layers.
    package var numHiddenLayers: Int
    /// Attention heads per layer; divides ``hiddenSize``.
    package var numAttentionHeads: Int
    /// Width of the feed-forward block.
    package var intermediateSize: Int
    /// Output channels of each convolution of the feature extractor.
    package var convDim: [Int]
    /// Kernel width of each convolution of the feature extractor.
    package var convKernel: [Int]
    /// Stride of each convolution of the feature extractor.
    package var convStride: [Int]
    /// Whether the feature-extractor convolutions have a bias.
    package var convBias: Bool
    /// Normalisation layout of the feature extractor.
    package var featExtractNorm: FeatureExtractorNorm
    /// Pre-norm encoder with a final LayerNorm (`true`) or post-norm encoder (`false`).
    package var doStableLayerNorm: Bool
    /// Kernel width of the positional convolution.
    package var numConvPosEmbeddings: Int
    /// Channel groups of the positional convolution.
    package var numConvPosEmbeddingGroups: Int
    /// Epsilon of the encoder's and the feature projection's LayerNorms.
    package var layerNormEps: Float
    /// Whether the feature projection normalises before its linear map (default `true`).
    package var featProjLayerNorm: Bool
    /// Whether a BatchNorm precedes the positional convolution (default `false`).
    package var convPosBatchNorm: Bool
    /// Activation of the encoder (`"gelu"` is the only one supported).
    package var hiddenAct: String
    /// Activation of the feature extractor (`"gelu"` is the only one supported).
    package var featExtractActivation: String

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case convDim = "conv_dim"
        case convKernel = "conv_kernel"
        case convStride = "conv_stride"
        case convBias = "conv_bias"
        case featExtractNorm = "feat_extract_norm"
        case doStableLayerNorm = "do_stable_layer_norm"
        case numConvPosEmbeddings = "num_conv_pos_embeddings"
        case numConvPosEmbeddingGroups = "num_conv_pos_embedding_groups"
        case layerNormEps = "layer_norm_eps"
        case featProjLayerNorm = "feat_proj_layer_norm"
        case convPosBatchNorm = "conv_pos_batch_norm"
        case hiddenAct = "hidden_act"
        case featExtractActivation = "feat_extract_activation"
    }

    /// A configuration from its fields; defaults are those of `chinese-hubert-large`.
    package init(
        hiddenSize: Int = 1024, numHiddenLayers: Int = 24, numAttentionHeads: Int = 16,
        intermediateSize: Int = 4096,
        convDim: [Int] = Array(repeating: 512, count: 7),
        convKernel: [Int] = [10, 3, 3, 3, 3, 2, 2],
        convStride: [Int] = [5, 2, 2, 2, 2, 2, 2],
        convBias: Bool = true, featExtractNorm: FeatureExtractorNorm = .layer,
        doStableLayerNorm: Bool = true, numConvPosEmbeddings: Int = 128,
        numConvPosEmbeddingGroups: Int = 16, layerNormEps: Float = 1e-5,
        featProjLayerNorm: Bool = true, convPosBatchNorm: Bool = false,
        hiddenAct: String = "gelu", featExtractActivation: String = "gelu"
    ) {
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.intermediateSize = intermediateSize
        self.convDim = convDim
        self.convKernel = convKernel
        self.convStride = convStride
        self.convBias = convBias
        self.featExtractNorm = featExtractNorm
        self.doStableLayerNorm = doStableLayerNorm
        self.numConvPosEmbeddings = numConvPosEmbeddings
        self.numConvPosEmbeddingGroups = numConvPosEmbeddingGroups
        self.layerNormEps = layerNormEps
        self.featProjLayerNorm = featProjLayerNorm
        self.convPosBatchNorm = convPosBatchNorm
        self.hiddenAct = hiddenAct
        self.featExtractActivation = featExtractActivation
    }

    /// Decodes `config.json`; optional keys missing from the file take transformers' defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = HubertConfiguration()
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? 768
        numHiddenLayers = try c.decodeIfPresent(Int.self, forKey: .numHiddenLayers) ?? 12
        numAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .numAttentionHeads) ?? 12
        intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? 3072
        convDim = try c.decodeIfPresent([Int].self, forKey: .convDim) ?? defaults.convDim
        convKernel = try c.decodeIfPresent([Int].self, forKey: .convKernel) ?? defaults.convKernel
        convStride = try c.decodeIfPresent([Int].self, forKey: .convStride) ?? defaults.convStride
        convBias = try c.decodeIfPresent(Bool.self, forKey: .convBias) ?? false
        featExtractNorm = try c.decodeIfPresent(FeatureExtractorNorm.self, forKey: .featExtractNorm) ?? .group
        doStableLayerNorm = try c.decodeIfPresent(Bool.self, forKey: .doStableLayerNorm) ?? false
        numConvPosEmbeddings = try c.decodeIfPresent(Int.self, forKey: .numConvPosEmbeddings) ?? 128
        numConvPosEmbeddingGroups = try c.decodeIfPresent(Int.self, forKey: .numConvPosEmbeddingGroups) ?? 16
        layerNormEps = try c.decodeIfPresent(Float.self, forKey: .layerNormEps) ?? 1e-5
        featProjLayerNorm = try c.decodeIfPresent(Bool.self, forKey: .featProjLayerNorm) ?? true
        convPosBatchNorm = try c.decodeIfPresent(Bool.self, forKey: .convPosBatchNorm) ?? false
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "gelu"
        featExtractActivation = try c.decodeIfPresent(String.self, forKey: .featExtractActivation) ?? "gelu"
    }

    /// The released `TencentGameMate/chinese-hubert-large` configuration (315 M parameters),
    /// the model DiffDub's features come from.
    public static let chineseHubertLarge = HubertConfiguration()

    /// Samples between consecutive output frames (the product of the strides: 320).
    package var frameHop: Int { convStride.reduce(1, *) }

    /// Samples one output frame sees (400 for the released kernels and strides).
    package var receptiveField: Int {
        var field = 1
        var jump = 1
        for (kernel, stride) in zip(convKernel, convStride) {
            field += (kernel - 1) * jump
            jump *= stride
        }
        return field
    }

    /// Number of frames the feature extractor produces from `sampleCount` samples (0 when
    /// the audio is shorter than one receptive field).
    package func frameCount(forSampleCount sampleCount: Int) -> Int {
        var length = sampleCount
        for (kernel, stride) in zip(convKernel, convStride) {
            guard length >= kernel else { return 0 }
            length = (length - kernel) / stride + 1
        }
        return length
    }

    /// Throws ``HubertError/invalidConfiguration(_:)`` unless the fields describe a model this
    /// port runs.
    package func validate() throws {
        func fail(_ message: String) -> HubertError { .invalidConfiguration(message) }
        guard !convDim.isEmpty, convDim.count == convKernel.count, convDim.count == convStride.count else {
            throw fail(
                "conv_dim, conv_kernel and conv_stride must have the same non-zero length "
                    + "(\(convDim.count), \(convKernel.count), \(convStride.count))")
        }
        guard (convDim + convKernel + convStride).allSatisfy({ $0 > 0 }) else {
            throw fail("conv_dim, conv_kernel and conv_stride must be positive")
        }
        guard hiddenSize > 0, numAttentionHeads > 0, hiddenSize % numAttentionHeads == 0 else {
            throw fail("hidden_size \(hiddenSize) is not divisible into \(numAttentionHeads) heads")
        }
        guard numConvPosEmbeddingGroups > 0, hiddenSize % numConvPosEmbeddingGroups == 0 else {
            throw fail(
                "hidden_size \(hiddenSize) is not divisible into \(numConvPosEmbeddingGroups) positional groups")
        }
        guard numHiddenLayers >= 0, intermediateSize > 0, numConvPosEmbeddings > 0 else {
            throw fail("num_hidden_layers, intermediate_size and num_conv_pos_embeddings must be positive")
        }
        guard hiddenAct == "gelu", featExtractActivation == "gelu" else {
            throw fail(
                "only the 'gelu' activation is supported (hidden_act '\(hiddenAct)', "
                    + "feat_extract_activation '\(featExtractActivation)')")
        }
    }
}
