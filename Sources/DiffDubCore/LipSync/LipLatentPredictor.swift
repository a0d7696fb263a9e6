/// DiffDub's stage 2: Hubert speech features and reference lip latents to one lip latent per
/// 25 fps video frame (port of `LatentPredictor` in the original's `model/speech2latent.py`,
/// keys `seq2seq.encoder.*` of a stage-2 checkpoint).
///
/// ```
/// a = sum_l softmax(weights)[l] * hubert[l]             [T, audio]       weighted_sum
/// x = down_sample_audio_nar(a)                          [ceil(T/2), d]   Conv1d k 3, stride 2, pad 1
/// r = reference_encoder(reference)                      [R, d]           conformer
/// x = cross_attention(speech = x, reference = r)
/// x = coarse_decoder(speech_encoder(x))                                  conformers
/// y = out_proj(x)                                       [ceil(T/2), d]
/// ```
/// Sizes are read off the checkpoint (`LipLatentPredictorConfiguration`); binding is strict:
/// every tensor under the prefix must be used, every needed tensor must exist with its shape.
///
/// ```swift
/// let predictor = try LipLatentPredictor(checkpoint: url)               // DiffDubIO
/// let reference = try predictor.encodeReference(referenceLatents)       // [75, 512], once
/// let latents = try predictor.predict(hubert: features, encodedReference: reference)
/// ```
public struct LipLatentPredictor: Sendable {
    /// Key prefix of the predictor in a stage-2 checkpoint.
    public static let checkpointPrefix = "seq2seq.encoder."

    /// The sizes, inferred from the checkpoint.
    package let configuration: LipLatentPredictorConfiguration
    /// `weights` `[layers]`: logits of the Hubert layer weighting.
    package let layerWeights: Tensor
    /// `down_sample_audio_nar`: `Conv1d(audio -> d, k 3, stride 2, padding 1)`.
    package let downSampleAudio: Conv1d
    /// `reference_encoder`.
    package let referenceEncoder: ConformerEncoder
    /// `cross_attention`.
    package let crossAttention: CrossAttention
    /// `speech_encoder`.
    package let speechEncoder: ConformerEncoder
    /// `coarse_decoder`.
    package let coarseDecoder: ConformerEncoder
    /// `out_proj`.
    package let outProjection: Linear

    /// Binds the predictor from the tensors of `stateDict` whose key starts with `prefix`
    /// (`seq2seq.encoder.`; keys elsewhere in the file are not looked at; an empty prefix binds
    /// the whole dict).
    ///
    /// - Parameters:
    ///   - stateDict: the stage-2 checkpoint's tensors.
    ///   - prefix: `"seq2seq.encoder."` for checkpoints; `""` for the encoder alone.
    ///   - crossAttentionHeads: heads of `cross_attention` (not recorded in checkpoints; 8 in
    ///     the original).
    /// - Throws: `WeightError` if a tensor is missing, has an unexpected shape, or a tensor
    ///   under `prefix` is left unused.
    public init(
        stateDict: StateDict, prefix: String = LipLatentPredictor.checkpointPrefix, crossAttentionHeads: Int = 8
    ) throws {
        guard stateDict.containsKeys(withPrefix: prefix) else {
            throw WeightError.invalidConfiguration(
                "no tensors under '\(prefix)': not a DiffDub stage-2 checkpoint", source: stateDict.source)
        }
        // A cursor at the prefix, so errors name full checkpoint keys.
        let all = WeightBinder(stateDict)
        let root = prefix.isEmpty ? all : all.scoped(String(prefix.hasSuffix(".") ? prefix.dropLast() : prefix[...]))
        let configuration = try LipLatentPredictorConfiguration(
            inferringFrom: root, crossAttentionHeads: crossAttentionHeads)
        try self.init(root, configuration: configuration)
    }

    /// Binds a predictor of `configuration` under `weights` (a binder at the predictor's root,
    /// e.g. `WeightBinder(stateDict).scoped("seq2seq.encoder")`), strictly:
    /// ``WeightBinder/finish()`` reports tensors under the binder's prefix that no layer took.
    ///
    /// This is the one statement of the stage-2 key layout: a random predictor is
    /// `try LipLatentPredictor(WeightBinder(randomSeed: 7).scoped("seq2seq.encoder"), configuration: .released)`,
    /// and the binder's ``WeightBinder/boundStateDict`` is a checkpoint of it.
    ///
    /// - Throws: ``WeightError`` naming the first missing, mis-shaped or unused key.
    package init(_ weights: WeightBinder, configuration: LipLatentPredictorConfiguration) throws {
        let width = configuration.latentWidth
        self.configuration = configuration
        layerWeights = try weights.tensor(
            "weights", shape: [configuration.hubertLayers], .fanIn(configuration.hubertLayers))
        downSampleAudio = try Conv1d(
            weights.scoped("down_sample_audio_nar"), in: configuration.audioWidth, out: width, kernel: 3, stride: 2,
            padding: 1)
        referenceEncoder = try ConformerEncoder(
            weights.scoped("reference_encoder"), blockCount: configuration.referenceEncoderBlocks,
            configuration: configuration)
        crossAttention = try CrossAttention(
            weights.scoped("cross_attention"), width: width, heads: configuration.crossAttentionHeads)
        speechEncoder = try ConformerEncoder(
            weights.scoped("speech_encoder"), blockCount: configuration.speechEncoderBlocks,
            configuration: configuration)
        coarseDecoder = try ConformerEncoder(
            weights.scoped("coarse_decoder"), blockCount: configuration.coarseDecoderBlocks,
            configuration: configuration)
        outProjection = try Linear(weights.scoped("out_proj"), in: width, out: width)
        try weights.finish()
    }

    /// Runs `reference_encoder` on reference lip latents `[R, L]` (one set, shared by every
    /// sequence) or `[B, R, L]` (one set per sequence; `B = 1` is shared too), `R >= 1`.
    ///
    /// - Throws: ``LipSyncError`` for another rank, a width other than the latent width, or
    ///   no latents.
    package func encodeReference(_ reference: Tensor) throws -> EncodedReference {
        let batched = try LipSyncInputLayout.batchedReference(reference, configuration: configuration)
        return EncodedReference(latents: referenceEncoder(batched))
    }

    /// Lip latents for Hubert features and reference latents.
    ///
    /// - Parameters:
    ///   - hubert: every Hubert hidden state, `[layers, T, A]`, `[1, layers, T, A]` or a batch
    ///     `[B, layers, T, A]` of sequences of the same length, `T >= 1` (50 Hz).
    ///   - reference: reference lip latents `[R, L]` or `[B, R, L]` (see `encodeReference(_:)`).
    /// - Returns: `[ceil(T / 2), L]` for `[layers, T, A]` input, `[B, ceil(T / 2), L]` for
    ///   batched input (25 Hz).
    /// - Throws: `LipSyncError` for inputs of the wrong shape.
    public func predict(hubert: Tensor, reference: Tensor) throws -> Tensor {
        try predict(hubert: hubert, encodedReference: encodeReference(reference))
    }

    /// Lip latents for Hubert features against an already encoded reference (see
    /// ``predict(hubert:reference:)`` for the layouts).
    package func predict(hubert: Tensor, encodedReference: EncodedReference) throws -> Tensor {
        let (features, hadBatchAxis) = try LipSyncInputLayout.batched(hubert, configuration: configuration)
        let output = try run(features, encodedReference).output
        return hadBatchAxis ? output : output.reshaped(Array(output.shape.dropFirst()))
    }

    /// Lip latents with every intermediate of the forward pass (all with a batch axis; see
    /// ``LipLatentTrace``). Inputs as in ``predict(hubert:reference:)``.
    package func trace(hubert: Tensor, reference: Tensor) throws -> LipLatentTrace {
        let (features, _) = try LipSyncInputLayout.batched(hubert, configuration: configuration)
        return try run(features, encodeReference(reference))
    }

    /// The forward pass on `features` `[B, layers, T, A]`.
    private func run(_ features: Tensor, _ reference: EncodedReference) throws -> LipLatentTrace {
        let batch = features.shape[0]
        let (length, audioWidth) = (features.shape[2], features.shape[3])
        guard reference.batchSize == 1 || reference.batchSize == batch else {
            throw LipSyncError.batchMismatch(hubert: batch, reference: reference.batchSize)
        }
        // sum_l w[l] * hubert[b, l] as one product per sequence: [1, layers] x [layers, T*A].
        let layerMix = softmax(layerWeights).reshaped([1, configuration.hubertLayers])
        let weightedSum = matmul(
            layerMix, features.reshaped([batch, configuration.hubertLayers, length * audioWidth])
        ).reshaped([batch, length, audioWidth])
        let downsampled = permuted(downSampleAudio(permuted(weightedSum, [0, 2, 1])), [0, 2, 1])

        var memory = reference.latents
        if memory.shape[0] != batch { memory = concat(Array(repeating: memory, count: batch), axis: 0) }
        let crossAttended = crossAttention(speech: downsampled, reference: memory)
        let speechEncoded = speechEncoder(crossAttended)
        let decoded = coarseDecoder(speechEncoded)
        return LipLatentTrace(
            weightedSum: weightedSum, downsampled: downsampled, referenceEncoded: reference.latents,
            crossAttended: crossAttended, speechEncoded: speechEncoded, decoded: decoded,
            output: outProjection(decoded))
    }
}
