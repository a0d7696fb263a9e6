import Foundation

/// Inputs SyncNet cannot score. Every message is one line saying what was expected and what
/// was found; callers that read the inputs from files prefix the file name (the CLI does).
package enum SyncNetError: LocalizedError, CustomStringConvertible, Equatable {
    /// Fewer frames than one window needs (5, plus one: `SyncNetInstance` scores
    /// `min(frames, audio frames) - 5` windows).
    case tooFewFrames(found: Int, needed: Int)
    /// Less audio than one window needs.
    case audioTooShort(seconds: Double, needed: Double)
    /// A frame that is not a 224 x 224 face crop.
    case frameSize(index: Int, width: Int, height: Int)
    /// Audio at another rate than the 16 kHz SyncNet's MFCCs are laid out for.
    case sampleRate(found: Int)

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// One line saying what is wrong.
    package var description: String {
        switch self {
        case .tooFewFrames(let found, let needed):
            "the clip has \(found) frame\(found == 1 ? "" : "s"); SyncNet needs at least \(needed) (windows of 5 frames at 25 fps)"
        case .audioTooShort(let seconds, let needed):
            "the audio lasts \(String(format: "%.3f", seconds)) s; SyncNet needs at least \(String(format: "%.2f", needed)) s"
        case .frameSize(let index, let width, let height):
            "frame \(index) is \(width)x\(height); SyncNet scores 224x224 face crops"
        case .sampleRate(let found):
            "the audio is at \(found) Hz; SyncNet's MFCCs need 16000 Hz"
        }
    }
}
