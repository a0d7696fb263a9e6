import DiffDubCore
import Foundation

extension Renderer {
    /// Loads the stage-1 renderer from a checkpoint file (`torch.save` zip or legacy, or
    /// safetensors), binding its EMA weights (`ema_model.*`) and inferring the
    /// configuration from their shapes.
    ///
    /// - Parameters:
    ///   - url: the checkpoint (`stage1_state_dict.ckpt`).
    ///   - imageSize: overrides the inferred image size.
    /// - Throws: ``CheckpointError`` when the file cannot be read, ``WeightError`` or
    ///   ``RendererError`` (naming the file and key) when it does not hold a stage-1 model.
    public init(checkpoint url: URL, imageSize: Int? = nil) throws {
        let (_, stateDict) = try WeightFile.stateDict(contentsOf: url)
        try self.init(stateDict: stateDict, imageSize: imageSize)
    }
}
