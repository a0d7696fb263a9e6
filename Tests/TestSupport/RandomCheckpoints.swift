import DiffDubCore

/// Random models built by the models' own binding code over `WeightBinder(randomSeed:)`, with
/// the checkpoint their binder recorded: the same keys and shapes as a real checkpoint.
/// DiffDubCore's tests use them in memory; DiffDubIO's tests compare their layout with the
/// fixture checkpoints' and write them to files.
package enum RandomCheckpoints {
    /// A random renderer of `configuration` and its checkpoint, keys under `prefix` (none if empty).
    package static func renderer(
        _ configuration: RendererConfiguration, seed: UInt64, prefix: String = "ema_model"
    ) throws -> (renderer: Renderer, stateDict: StateDict) {
        let weights = WeightBinder(randomSeed: seed)
        let renderer = try Renderer(prefix.isEmpty ? weights : weights.scoped(prefix), configuration: configuration)
        return (renderer, weights.boundStateDict)
    }

    /// A random Hubert model of `configuration` and its checkpoint.
    package static func hubert(_ configuration: HubertConfiguration, seed: UInt64) throws -> (HubertModel, StateDict) {
        let weights = WeightBinder(randomSeed: seed)
        let model = try HubertModel(weights, configuration: configuration)
        return (model, weights.boundStateDict)
    }

    /// The checkpoint of the random stage-2 predictor of `configuration` (keys `seq2seq.encoder.*`).
    package static func lipLatentPredictor(_ configuration: LipLatentPredictorConfiguration, seed: UInt64) throws -> StateDict {
        let weights = WeightBinder(randomSeed: seed)
        _ = try LipLatentPredictor(weights.scoped("seq2seq.encoder"), configuration: configuration)
        return weights.boundStateDict
    }
}
