import DiffDubCore
import Foundation

extension SyncNet {
    /// Loads SyncNet from a model file through `WeightFile.checkpoint(contentsOf:limits:)`:
    /// syncnet_python's `syncnet_v2.model` as published (a `torch.save` state dict, legacy or
    /// zip format) or safetensors with the same keys, bound strictly.
    ///
    /// - Throws: `CheckpointError` if the file cannot be read, `WeightError` if its tensors
    ///   do not form a SyncNet (naming the key and the file).
    public init(checkpoint url: URL, limits: ReaderLimits = .standard) throws {
        try self.init(stateDict: WeightFile.checkpoint(contentsOf: url, limits: limits))
    }
}
