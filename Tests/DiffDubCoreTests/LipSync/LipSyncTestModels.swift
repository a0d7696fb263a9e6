import DiffDubCore
import TestSupport

/// Small random stage-2 models for tests that need no checkpoint.
enum LipSyncTestModels {
    /// Tiny sizes with every structural feature: 2 heads, 8 cross-attention heads, odd kernel,
    /// linear units differing from the width.
    static let small = LipLatentPredictorConfiguration(
        hubertLayers: 25, audioWidth: 12, latentWidth: 32, attentionHeads: 2, linearUnits: 24,
        convolutionKernelSize: 5, crossAttentionHeads: 8, referenceEncoderBlocks: 1,
        speechEncoderBlocks: 2, coarseDecoderBlocks: 1)

    static func predictor(
        _ configuration: LipLatentPredictorConfiguration = small, seed: UInt64 = 1
    ) throws -> LipLatentPredictor {
        try LipLatentPredictor(
            WeightBinder(randomSeed: seed).scoped("seq2seq.encoder"), configuration: configuration)
    }

    /// The random predictor of `configuration` and `seed` as a checkpoint (keys
    /// `seq2seq.encoder.*`), recorded by the binder that built it.
    static func checkpoint(
        _ configuration: LipLatentPredictorConfiguration = small, seed: UInt64 = 1
    ) throws -> StateDict {
        try RandomCheckpoints.lipLatentPredictor(configuration, seed: seed)
    }

    static func hubert(
        batch: Int? = nil, frames: Int, configuration: LipLatentPredictorConfiguration = small, seed: UInt64 = 7
    ) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        let shape = [configuration.hubertLayers, frames, configuration.audioWidth]
        return Tensor.random((batch.map { [$0] } ?? []) + shape, using: &generator)
    }

    static func reference(
        batch: Int? = nil, count: Int, configuration: LipLatentPredictorConfiguration = small, seed: UInt64 = 9
    ) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor.random((batch.map { [$0] } ?? []) + [count, configuration.latentWidth], using: &generator)
    }
}
