import DiffDubCore
import TestSupport
import Testing

/// One statement of the stage-2 layout: random models, their recorded checkpoints and real
/// checkpoints all go through `LipLatentPredictor.init(_:configuration:)`; configuration
/// inference and strict binding.
/// (The fixture checkpoint's layout is compared in DiffDubIOTests/ModelLoading/LipLatentWeightsTests.swift.)
@Suite struct LipLatentWeightsTests {
    let config = LipSyncTestModels.small

    @Test func recordedRandomCheckpointLoadsBackToTheSameModel() throws {
        let checkpoint = try LipSyncTestModels.checkpoint(config, seed: 3)
        let loaded = try LipLatentPredictor(stateDict: checkpoint)
        #expect(loaded.configuration == config)
        let hubert = LipSyncTestModels.hubert(frames: 6)
        let reference = LipSyncTestModels.reference(count: 3)
        let direct = try LipSyncTestModels.predictor(seed: 3).predict(hubert: hubert, reference: reference)
        #expect(maxAbsDifference(try loaded.predict(hubert: hubert, reference: reference), direct) == 0)
    }

    @Test func releasedLayoutHasTheReleasedParameterCount() throws {
        let weights = try LipSyncTestModels.checkpoint(.released, seed: 0)
        // The released stage2_state_dict.ckpt holds 35.1 M parameters.
        #expect((Double(weights.floatParameterCount) / 1e5).rounded() == 351)
        #expect(weights.keys.allSatisfy { $0.hasPrefix("seq2seq.encoder.") })
    }

    @Test func sameSeedSameWeights() throws {
        let hubert = LipSyncTestModels.hubert(frames: 6)
        let reference = LipSyncTestModels.reference(count: 3)
        let a = try LipSyncTestModels.predictor(seed: 5).predict(hubert: hubert, reference: reference)
        let b = try LipSyncTestModels.predictor(seed: 5).predict(hubert: hubert, reference: reference)
        let c = try LipSyncTestModels.predictor(seed: 6).predict(hubert: hubert, reference: reference)
        #expect(maxAbsDifference(a, b) == 0)
        #expect(maxAbsDifference(a, c) > 1e-3)
    }

    @Test func rejectsAnUnusedTensor() throws {
        var weights = try LipSyncTestModels.checkpoint(config)
        weights.set(TensorRecord(Tensor(zeros: [3])), forKey: "seq2seq.encoder.speech_encoder.after_norm.weight")
        #expect(
            throws: WeightError.unexpected(
                keys: ["seq2seq.encoder.speech_encoder.after_norm.weight"], source: weights.source)
        ) {
            try LipLatentPredictor(stateDict: weights)
        }
    }

    @Test func ignoresTensorsOutsideThePrefix() throws {
        var weights = try LipSyncTestModels.checkpoint(config)
        weights.set(TensorRecord(Tensor(zeros: [3])), forKey: "optimizer.state.0")
        #expect(try LipLatentPredictor(stateDict: weights).configuration == config)
    }

    @Test func rejectsAMissingTensor() throws {
        let full = try LipSyncTestModels.checkpoint(config)
        let key = "seq2seq.encoder.coarse_decoder.encoders.0.conv_module.norm.running_var"
        var records = full.records
        records[key] = nil
        #expect(throws: WeightError.missing(key: key, source: full.source)) {
            try LipLatentPredictor(stateDict: StateDict(source: full.source, records: records))
        }
    }

    @Test func rejectsAnInconsistentShape() throws {
        var weights = try LipSyncTestModels.checkpoint(config)
        let key = "seq2seq.encoder.speech_encoder.encoders.1.feed_forward.w_1.weight"
        weights.set(TensorRecord(Tensor(zeros: [config.linearUnits + 1, config.latentWidth])), forKey: key)
        #expect(
            throws: WeightError.shapeMismatch(
                key: key, expected: [config.linearUnits, config.latentWidth],
                found: [config.linearUnits + 1, config.latentWidth], source: weights.source)
        ) {
            try LipLatentPredictor(stateDict: weights)
        }
    }

    @Test func rejectsAStateDictWithoutStage2() {
        let other = StateDict(
            source: "other.ckpt", records: ["ema_model.out.0.weight": TensorRecord(Tensor(zeros: [4]))])
        #expect(throws: WeightError.self) { try LipLatentPredictor(stateDict: other) }
    }
}
