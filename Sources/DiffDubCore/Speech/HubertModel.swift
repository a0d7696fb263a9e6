// Port of HF transformers `HubertModel` (models/hubert/modeling_hubert.py), inference only:
// no masking, no dropout, one unpadded utterance.

/// The Hubert speech encoder: normalised 16 kHz samples -> one hidden state per layer.
///
/// `feature_extractor` (7 strided convolutions, 320 samples per frame) -> transpose to
/// `[T, C]` -> `feature_projection` -> `encoder` (positional convolution + transformer).
/// Keys are those of HF's `HubertModel.state_dict()` (after `sanitize(_:)`).
public struct HubertModel: Sendable {
    /// The hyper-parameters.
    public let configuration: HubertConfiguration
    /// `feature_extractor`.
    package let featureExtractor: HubertFeatureEncoder
    /// `feature_projection`.
    package let featureProjection: HubertFeatureProjection
    /// `encoder`.
    package let encoder: HubertEncoder
    /// Which last hidden state the pre-norm layout reports (default: transformers 4's).
    package var hiddenStateConvention: HubertHiddenStateConvention = .transformers4

    /// Builds the model from `stateDict` (HF key names, as read from `pytorch_model.bin` or
    /// `model.safetensors`), strictly: every tensor must be used, with the right shape.
    public init(stateDict: StateDict, configuration: HubertConfiguration) throws {
        try self.init(WeightBinder(Self.sanitize(stateDict)), configuration: configuration)
    }

    /// Binds a model of `configuration` under `weights` (HF key names without prefix),
    /// strictly. The one statement of Hubert's key layout: a random model is
    /// `try HubertModel(WeightBinder(randomSeed: 7), configuration: .chineseHubertLarge)`.
    package init(_ weights: WeightBinder, configuration: HubertConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        featureExtractor = try HubertFeatureEncoder(
            weights.scoped("feature_extractor"), configuration: configuration)
        featureProjection = try HubertFeatureProjection(
            weights.scoped("feature_projection"), configuration: configuration)
        encoder = try HubertEncoder(weights.scoped("encoder"), configuration: configuration)
        try weights.finish()
    }

    /// The one place where checkpoint key variants are brought to `HubertModel`'s names:
    /// - a `hubert.` prefix (checkpoints of `HubertForCTC` and similar heads) is removed, and
    ///   the head's own tensors are dropped;
    /// - `masked_spec_embed` (used only for training-time masking) is dropped;
    /// - older weight-norm names `encoder.pos_conv_embed.conv.weight_g` / `weight_v` become
    ///   `...conv.parametrizations.weight.original0` / `original1`.
    package static func sanitize(_ stateDict: StateDict) -> StateDict {
        var result = stateDict
        if stateDict.containsKeys(withPrefix: "hubert.") {
            result = stateDict.selecting(prefix: "hubert.")
        }
        var cleaned = StateDict(source: result.source, records: [:])
        let renames = [
            "encoder.pos_conv_embed.conv.weight_g": "encoder.pos_conv_embed.conv.parametrizations.weight.original0",
            "encoder.pos_conv_embed.conv.weight_v": "encoder.pos_conv_embed.conv.parametrizations.weight.original1",
        ]
        for key in result.keys where key != "masked_spec_embed" {
            if let record = result[key] { cleaned.set(record, forKey: renames[key] ?? key) }
        }
        return cleaned
    }

    /// All hidden states, `numHiddenLayers + 1` tensors `[T, hidden]`, for normalised
    /// samples `[L]` (or `[1, L]`); `T = configuration.frameCount(forSampleCount: L)`.
    ///
    /// - Throws: ``HubertError/audioTooShort(samples:sampleRate:minimumSamples:)`` when `L`
    ///   yields no frame.
    package func hiddenStates(inputValues: Tensor) throws -> [Tensor] {
        let samples = inputValues.count
        guard configuration.frameCount(forSampleCount: samples) > 0 else {
            throw HubertError.audioTooShort(
                samples: samples, sampleRate: 16000, minimumSamples: configuration.receptiveField)
        }
        let features = featureExtractor(inputValues.reshaped([1, samples]))
        let channels = features.shape[1]
        let frames = permuted(features.reshaped([channels, -1]), [1, 0])
        return encoder.hiddenStates(featureProjection(frames), convention: hiddenStateConvention)
    }
}
