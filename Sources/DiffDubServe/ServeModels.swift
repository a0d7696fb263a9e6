import DiffDubCore
import DiffDubIO
import Foundation

/// The model files of the server, loaded once into one ``DubbingSession`` that every job shares:
/// both checkpoints, the face models (jobs detect their faces) and, optionally, the Hubert
/// model (jobs with audio but no `.npy` compute their features) and the SyncNet model (jobs
/// with `speaker` `auto`).
public struct ServeModels: Sendable {
    /// The stage-1 checkpoint.
    public var stage1: URL
    /// The stage-2 checkpoint.
    public var stage2: URL
    /// The renderer's image size (`nil`: what the stage-1 weights imply).
    public var imageSize: Int?
    /// FaceBoxesV2 weights.
    public var detector: URL
    /// PIPNet weights.
    public var landmarkModel: URL
    /// A Hugging Face Hubert folder, if jobs may send audio without features.
    public var hubertModel: URL?
    /// SyncNet weights (`syncnet_v2.model`), if jobs may ask for `speaker` `auto` (loaded by
    /// each such job while it is prepared).
    public var syncnetModel: URL?

    /// The given files.
    public init(
        stage1: URL, stage2: URL, imageSize: Int? = nil, detector: URL, landmarkModel: URL, hubertModel: URL? = nil,
        syncnetModel: URL? = nil
    ) {
        self.stage1 = stage1
        self.stage2 = stage2
        self.imageSize = imageSize
        self.detector = detector
        self.landmarkModel = landmarkModel
        self.hubertModel = hubertModel
        self.syncnetModel = syncnetModel
    }

    /// Loads every model once.
    public func loadSession() throws -> DubbingSession {
        let renderer = try Renderer(checkpoint: stage1, imageSize: imageSize)
        let lipPredictor = try LipLatentPredictor(checkpoint: stage2)
        let analyzer = try FaceModelFiles.analyzer(detector: detector, landmarkModel: landmarkModel)
        let encoder = try hubertModel.map { try HubertFeatureExtractor(modelFolder: $0) }
        return try DubbingSession(
            renderer: renderer, lipPredictor: lipPredictor, faceAnalyzer: analyzer, speechEncoder: encoder)
    }
}
