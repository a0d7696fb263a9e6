/// The accepted layouts of stage-2 inputs (Hubert features, reference latents), normalised to
/// a batch.
enum LipSyncInputLayout {
    /// Hubert hidden states `[layers, T, A]` (one sequence), `[1, layers, T, A]` (how the
    /// original loads them) or `[B, layers, T, A]`, as `[B, layers, T, A]` and whether the input
    /// had a batch axis.
    static func batched(
        _ hubert: Tensor, configuration: LipLatentPredictorConfiguration
    ) throws -> (features: Tensor, hadBatchAxis: Bool) {
        let layers = configuration.hubertLayers
        let shape = hubert.shape
        let batched: [Int]
        switch shape.count {
        case 2: throw LipSyncError.hubertLastLayerOnly(shape: shape, layers: layers)
        case 3: batched = [1] + shape
        case 4: batched = shape
        default: throw LipSyncError.hubertRank(shape: shape, layers: layers, width: configuration.audioWidth)
        }
        guard batched[1] == layers else {
            throw LipSyncError.hubertLayerCount(shape: shape, found: batched[1], expected: layers)
        }
        guard batched[3] == configuration.audioWidth else {
            throw LipSyncError.hubertWidth(shape: shape, found: batched[3], expected: configuration.audioWidth)
        }
        guard batched[0] >= 1, batched[2] >= 1 else { throw LipSyncError.emptyHubert(shape: shape) }
        return (hubert.reshaped(batched), shape.count == 4)
    }

    /// Reference latents `[R, L]` or `[B, R, L]` as `[B, R, L]`.
    static func batchedReference(
        _ reference: Tensor, configuration: LipLatentPredictorConfiguration
    ) throws -> Tensor {
        let shape = reference.shape
        let width = configuration.latentWidth
        let batched: [Int]
        switch shape.count {
        case 2: batched = [1] + shape
        case 3: batched = shape
        default: throw LipSyncError.referenceRank(shape: shape, width: width)
        }
        guard batched[2] == width else {
            throw LipSyncError.referenceWidth(shape: shape, found: batched[2], expected: width)
        }
        guard batched[0] >= 1, batched[1] >= 1 else { throw LipSyncError.emptyReference(shape: shape) }
        return reference.reshaped(batched)
    }
}
