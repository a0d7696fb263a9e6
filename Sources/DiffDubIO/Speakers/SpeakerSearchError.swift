import Foundation

/// Why ``SpeakerSearch`` found no speaker: each a line naming the file.
package enum SpeakerSearchError: LocalizedError, Equatable {
    /// The video has no audio track to find the speaker by.
    case noAudio(path: String)
    /// No face was followed for `minimumLength` frames or more in the `framesRead` frames.
    case noFaceTrack(path: String, minimumLength: Int, framesRead: Int)
    /// SyncNet could not score the speech (too short).
    case speech(path: String, reason: String)

    package var errorDescription: String? {
        switch self {
        case .noAudio(let path): "--speaker auto: \(path) has no audio of its own to find the speaker by"
        case .noFaceTrack(let path, let minimumLength, let framesRead):
            "\(path): no face was followed for \(minimumLength) frames or more (\(framesRead) frames read)"
        case .speech(let path, let reason): "\(path): \(reason)"
        }
    }
}
