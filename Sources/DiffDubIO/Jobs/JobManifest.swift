import DiffDubCore
import Foundation

/// `manifest.json` of a job folder: what was prepared, from what, by which tool.
///
/// ```json
/// { "formatVersion": 1, "toolVersion": "0.2.0",
///   "request": { "models": {"files": {...}}, "frames": {"video": "/clips/talk.mp4"}, ... },
///   "models": [ {"role": "stage-1 checkpoint", "path": "...", "file": {"size": ..., "sha256": "..."}} ],
///   "inputs": [ {"role": "video", "path": "/clips/talk.mp4", "file": {...}}, ... ],
///   "firstFrame": 0, "frameCount": 1500, "imageSize": 256, "blockSize": 1 }
/// ```
///
/// The request is the one `prepare` was given, with its output replaced by the job's own
/// `frames/` folder and `raw` set: the model-resolution frames are what the job renders;
/// `finish` chooses the output and whether to paste back.
public struct JobManifest: Sendable, Codable {
    /// The version of the job folder layout this tool writes and reads.
    package static let currentFormatVersion = 1

    /// Layout version (``currentFormatVersion`` when written).
    package var formatVersion: Int
    /// The version of the tool that prepared the job (informative).
    package var toolVersion: String
    /// The dubbing request (paths and values).
    public var request: DubbingRequest
    /// The two checkpoints, fingerprinted (`run` checks them).
    package var models: [JobInput]
    /// Every other input file or folder, fingerprinted (`finish` checks those it reads).
    package var inputs: [JobInput]
    /// The first output frame (absolute number).
    public var firstFrame: Int
    /// The number of output frames.
    public var frameCount: Int
    /// The side of the rendered frames.
    package var imageSize: Int
    /// Frames rendered together (the request's batch size): shards own whole blocks.
    package var blockSize: Int

    /// A manifest with the given values and the current format version.
    package init(
        toolVersion: String, request: DubbingRequest, models: [JobInput], inputs: [JobInput], firstFrame: Int,
        frameCount: Int, imageSize: Int, blockSize: Int
    ) {
        self.formatVersion = Self.currentFormatVersion
        self.toolVersion = toolVersion
        self.request = request
        self.models = models
        self.inputs = inputs
        self.firstFrame = firstFrame
        self.frameCount = frameCount
        self.imageSize = imageSize
        self.blockSize = blockSize
    }

    /// The output frames, absolute numbers.
    public var frames: Range<Int> { firstFrame..<(firstFrame + frameCount) }

    /// The fingerprinted input with this role, if any.
    package func input(role: String) -> JobInput? { inputs.first { $0.role == role } }
}
