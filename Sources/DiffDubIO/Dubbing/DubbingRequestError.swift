import DiffDubCore
import Foundation

/// A dubbing request's files do not make a valid run.
public enum DubbingRequestError: Error, LocalizedError, CustomStringConvertible, Equatable {
    /// A required input file does not exist.
    case missingFile(role: String, path: String)
    /// The noise has the wrong shape.
    case invalidNoise(input: String, shape: [Int], expected: [Int])
    /// Features are to be computed from the audio, but no audio was given.
    case audioRequired
    /// The audio file has no samples.
    case emptyAudio(path: String)
    /// A landmarks file does not fit the input.
    case landmarksMismatch(path: String, reason: String)
    /// The request holds something in memory (models, frames, tensors, a sink) that cannot be
    /// saved.
    case notEncodable(part: String)

    /// One line naming the file and the problem.
    public var description: String {
        switch self {
        case .missingFile(let role, let path): "\(path): \(role) not found"
        case .invalidNoise(let input, let shape, let expected):
            "\(input): noise of shape \(shape), expected \(expected)"
        case .audioRequired: "computing Hubert features needs the speech audio, and none was given"
        case .emptyAudio(let path): "\(path): the audio has no samples"
        case .landmarksMismatch(let path, let reason): "\(path): \(reason)"
        case .notEncodable(let part):
            "the request's \(part) is in memory and cannot be saved: give it as a file"
        }
    }

    /// The same line, for `localizedDescription`.
    public var errorDescription: String? { description }
}
