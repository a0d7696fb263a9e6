import DiffDubCore
import DiffDubIO
import Foundation

/// The library's errors speak of parameters and values; here they are told in the command
/// line's words (its flags).
enum CommandLineMessages {
    /// The flag of each ``DubbingOptions`` property.
    static let optionFlags = [
        "batchSize": "--batch", "referenceFrame": "--reference-frame", "referenceCount": "--reference-count",
        "steps": "--steps", "frameRange": "--frame-range", "faceRegion": "--crop",
    ]

    /// The line printed for `error`, or `nil` to use ArgumentParser's text.
    static func message(for error: any Error) -> String? {
        if let error = error as? DubbingError {
            switch error {
            case .nonSquareFrame(let index, let height, let width):
                return "frame \(index) is \(width)x\(height), not square: pass the face region with --crop X,Y,SIZE, or leave out --landmarks to detect it"
            case .invalidOption(let name, let value, let reason):
                return "\(optionFlags[name] ?? name) \(value): \(reason)"
            case .noFaceInReference(let frame, let first?):
                return "no face was found in reference frame \(frame): pass --reference-frame \(first) (the first frame with a face)"
            default:
                return error.description
            }
        }
        if let error = error as? LocalizedError, let text = error.errorDescription { return text }
        return nil
    }
}
