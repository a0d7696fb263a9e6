import DiffDubCore
import Foundation

extension LipLatentPredictor {
    /// Loads the stage-2 predictor from a checkpoint file through
    /// `WeightFile.checkpoint(contentsOf:limits:)` (torch zip or legacy, optionally wrapped in
    /// `{'state_dict': ...}`, or safetensors), binding `seq2seq.encoder.*` strictly.
    ///
    /// - Throws: `CheckpointError` if the file cannot be read, `WeightError` if its
    ///   tensors do not form a stage-2 predictor (both name the file).
    public init(checkpoint url: URL, crossAttentionHeads: Int = 8, limits: ReaderLimits = .standard) throws {
        try self.init(
            stateDict: WeightFile.checkpoint(contentsOf: url, limits: limits), crossAttentionHeads: crossAttentionHeads)
    }
}
