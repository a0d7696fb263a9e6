/// The sizes of a stage-2 lip latent predictor (`LatentPredictor` of the original), as read off
/// the checkpoint's tensor shapes.
///
/// | field | read from |
/// |---|---|
/// | ``hubertLayers`` | `weights` `[layers]` |
/// | ``audioWidth``, ``latentWidth`` | `down_sample_audio_nar.weight` `[latent, audio, 3]` |
/// | ``attentionHeads`` | `reference_encoder.encoders.0.self_attn.pos_bias_u` `[heads, latent / heads]` |
/// | ``linearUnits`` | `reference_encoder.encoders.0.feed_forward.w_1.weight` `[units, latent]` |
/// | ``convolutionKernelSize`` | `reference_encoder.encoders.0.conv_module.depthwise_conv.weight` `[latent, 1, k]` |
/// | block counts | the `encoders.N` children of each conformer |
///
/// The cross-attention's head count is not stored in a checkpoint (`in_proj_weight` is
/// `[3 latent, latent]` for any head count); the original always uses 8.
package struct LipLatentPredictorConfiguration: Sendable, Equatable, Hashable, Codable {
    /// Number of Hubert hidden states weighed together (25 for Hubert-large).
    package var hubertLayers: Int
    /// Width of one Hubert hidden state (1024 for Hubert-large).
    package var audioWidth: Int
    /// Width of a lip latent and of every conformer (512 released).
    package var latentWidth: Int
    /// Heads of each conformer's relative-position self-attention (2 released).
    package var attentionHeads: Int
    /// Hidden width of the conformer feed-forward modules (512 released).
    package var linearUnits: Int
    /// Kernel of the conformer convolution module's depthwise convolution (13 released, odd).
    package var convolutionKernelSize: Int
    /// Heads of the reference cross-attention (8 in the original; not recorded in checkpoints).
    package var crossAttentionHeads: Int
    /// Conformer blocks of `reference_encoder` (2 released).
    package var referenceEncoderBlocks: Int
    /// Conformer blocks of `speech_encoder` (4 released).
    package var speechEncoderBlocks: Int
    /// Conformer blocks of `coarse_decoder` (4 released).
    package var coarseDecoderBlocks: Int

    /// A configuration with the given sizes; defaults are the released model's.
    package init(
        hubertLayers: Int = 25, audioWidth: Int = 1024, latentWidth: Int = 512, attentionHeads: Int = 2,
        linearUnits: Int = 512, convolutionKernelSize: Int = 13, crossAttentionHeads: Int = 8,
        referenceEncoderBlocks: Int = 2, speechEncoderBlocks: Int = 4, coarseDecoderBlocks: Int = 4
    ) {
        self.hubertLayers = hubertLayers
        self.audioWidth = audioWidth
        self.latentWidth = latentWidth
        self.attentionHeads = attentionHeads
        self.linearUnits = linearUnits
        self.convolutionKernelSize = convolutionKernelSize
        self.crossAttentionHeads = crossAttentionHeads
        self.referenceEncoderBlocks = referenceEncoderBlocks
        self.speechEncoderBlocks = speechEncoderBlocks
        self.coarseDecoderBlocks = coarseDecoderBlocks
    }

    /// The released DiffDub stage-2 model: Hubert-large features (25 x 1024) to 512-d lip
    /// latents, 2 heads, 512 linear units, kernel 13, blocks 2 / 4 / 4, 8 cross-attention heads.
    package static let released = LipLatentPredictorConfiguration()

    /// Per-head width of the conformer attention.
    package var attentionHeadWidth: Int { latentWidth / attentionHeads }

    /// Reads the sizes off the tensor shapes under `weights` (a binder at the predictor's root,
    /// where `down_sample_audio_nar.weight` lives). Nothing is marked as used.
    ///
    /// - Throws: ``WeightError`` when a tensor the sizes come from is missing or malformed, or
    ///   the sizes are inconsistent.
    package init(inferringFrom weights: WeightBinder, crossAttentionHeads: Int = 8) throws {
        let source = weights.sourceName
        func invalid(_ message: String) -> WeightError {
            .invalidConfiguration(message, source: source)
        }
        if weights.containsModule("down_sample_audio_nar") && weights.contains("down_sample_audio_nar.0.weight") {
            throw invalid(
                "'\(weights.key("down_sample_audio_nar"))' is a two-convolution stack: the MFCC variant of stage 2 is not supported"
            )
        }
        let layerWeights = try weights.requireShape(of: "weights")
        let downSample = try weights.requireShape(of: "down_sample_audio_nar.weight")
        guard layerWeights.count == 1, layerWeights[0] >= 1 else {
            throw invalid("'\(weights.key("weights"))' should be [layers], has shape \(layerWeights)")
        }
        guard downSample.count == 3, downSample[2] == 3 else {
            throw invalid(
                "'\(weights.key("down_sample_audio_nar.weight"))' should be [latent, audio, 3], has shape \(downSample)"
            )
        }
        let firstBlock = weights.scoped("reference_encoder.encoders.0")
        let posBias = try firstBlock.requireShape(of: "self_attn.pos_bias_u")
        let feedForward = try firstBlock.requireShape(of: "feed_forward.w_1.weight")
        let depthwise = try firstBlock.requireShape(of: "conv_module.depthwise_conv.weight")
        guard posBias.count == 2, feedForward.count == 2, depthwise.count == 3 else {
            throw invalid(
                "conformer tensors under '\(firstBlock.prefix)' have unexpected ranks: pos_bias_u \(posBias), feed_forward.w_1.weight \(feedForward), depthwise_conv.weight \(depthwise)"
            )
        }
        func blockCount(_ encoder: String) throws -> Int {
            let names = weights.scoped(encoder).scoped("encoders").childNames()
            guard !names.isEmpty, names == (0..<names.count).map(String.init) else {
                throw invalid("'\(weights.key(encoder)).encoders' should hold blocks 0..<n, holds \(names)")
            }
            return names.count
        }
        self.init(
            hubertLayers: layerWeights[0], audioWidth: downSample[1], latentWidth: downSample[0],
            attentionHeads: posBias[0], linearUnits: feedForward[0], convolutionKernelSize: depthwise[2],
            crossAttentionHeads: crossAttentionHeads,
            referenceEncoderBlocks: try blockCount("reference_encoder"),
            speechEncoderBlocks: try blockCount("speech_encoder"),
            coarseDecoderBlocks: try blockCount("coarse_decoder"))
        if posBias[0] * posBias[1] != latentWidth {
            throw invalid(
                "'\(firstBlock.key("self_attn.pos_bias_u"))' has shape \(posBias): heads x head width should be \(latentWidth)"
            )
        }
        try validate(source: source)
    }

    /// Checks that the sizes describe a buildable model: positive sizes, an even latent width
    /// divisible by both head counts, an odd convolution kernel.
    ///
    /// - Throws: ``WeightError/invalidConfiguration(_:source:)`` naming `source`.
    package func validate(source: String = "configuration") throws {
        func fail(_ message: String) -> WeightError { .invalidConfiguration(message, source: source) }
        let sizes = [
            hubertLayers, audioWidth, latentWidth, attentionHeads, linearUnits, convolutionKernelSize,
            crossAttentionHeads, referenceEncoderBlocks, speechEncoderBlocks, coarseDecoderBlocks,
        ]
        guard sizes.allSatisfy({ $0 >= 1 }) else { throw fail("stage-2 sizes must be positive: \(self)") }
        guard latentWidth % 2 == 0 else {
            throw fail("latent width \(latentWidth) should be even (sinusoidal positional encoding)")
        }
        guard latentWidth % attentionHeads == 0 else {
            throw fail("latent width \(latentWidth) is not divisible by \(attentionHeads) attention heads")
        }
        guard latentWidth % crossAttentionHeads == 0 else {
            throw fail("latent width \(latentWidth) is not divisible by \(crossAttentionHeads) cross-attention heads")
        }
        guard convolutionKernelSize % 2 == 1 else {
            throw fail("convolution kernel \(convolutionKernelSize) should be odd (same-length padding)")
        }
    }
}
