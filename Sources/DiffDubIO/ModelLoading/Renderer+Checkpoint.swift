import DiffDubCore
import Foundation

extension Renderer {
    /// Loads the stage-1 renderer from a checkpoint file through
    /// `WeightFile.checkpoint(contentsOf:limits:)` (torch zip or legacy, or safetensors), binding its
    /// EMA weights (`ema_model.*`) and inferring the configuration from their shapes.
    ///
    /// - Parameters:
    ///   - url: the checkpoint (`stage1_state_dict.ckpt`, or its `diffdub convert` output).
    ///   - imageSize: overrides the inferred image size.
    ///   - limits: the bounds the file is read within.
    /// - Throws: `CheckpointError` when the file cannot be read, `WeightError` or
    ///   `RendererError` (naming the file and key) when it does not hold a stage-1 model.
    public init(checkpoint url: URL, imageSize: Int? = nil, limits: ReaderLimits = .standard) throws {
        try self.init(stateDict: WeightFile.checkpoint(contentsOf: url, limits: limits), imageSize: imageSize)
    }
}
