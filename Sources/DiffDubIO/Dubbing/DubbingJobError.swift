import DiffDubCore

/// A dubbing job's files do not make a valid run.
public enum DubbingJobError: Error, CustomStringConvertible, Equatable {
    /// A required input file does not exist.
    case missingFile(role: String, path: String)
    /// No landmarks were given.
    case landmarksRequired
    /// The Hubert features file has the wrong shape for the stage-2 checkpoint.
    case invalidHubert(path: String, shape: [Int], expected: String)
    /// The noise file has the wrong shape.
    case invalidNoise(path: String, shape: [Int], expected: [Int])
    /// Features are to be computed from the audio, but no audio was given.
    case audioRequired
    /// The audio file has no samples.
    case emptyAudio(path: String)
    /// A landmarks file does not fit the input.
    case landmarksMismatch(path: String, reason: String)

    /// One line naming the file and the problem.
    public var description: String {
        switch self {
        case .missingFile(let role, let path): "\(path): \(role) not found"
        case .landmarksRequired:
            "landmarks are required: pass --landmarks with a folder of per-frame .txt files or one landmarks table"
        case .invalidHubert(let path, let shape, let expected):
            "\(path): Hubert features of shape \(shape); expected \(expected)"
        case .invalidNoise(let path, let shape, let expected):
            "\(path): noise of shape \(shape), expected \(expected)"
        case .audioRequired: "computing Hubert features needs the speech: pass --audio"
        case .emptyAudio(let path): "\(path): the audio has no samples"
        case .landmarksMismatch(let path, let reason): "\(path): \(reason)"
        }
    }
}
