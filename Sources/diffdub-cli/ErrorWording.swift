import DiffDubCore
import DiffDubIO
import Foundation

/// The CLI's wording of library errors: the libraries name parameters (`FaceTrackingOptions.detectEvery`)
/// and say "give its path"; the command line names its flags instead.
enum ErrorWording {
    /// Library parameter names and the flags that set them.
    static let flags: [(parameter: String, flag: String)] = [
        ("FaceTrackingOptions.detectEvery", "--detect-every"),
        ("FaceTrackingOptions.expandRatio", "--expand"),
        ("FaceTrackingOptions.smoothingRadius", "--smooth"),
        ("FaceTrackingOptions.choice", "--face"),
        ("FaceTrackingOptions.region", "--crop"),
        ("dubbing at the clip's own rate (DubbingOptions.frameRate .source)", "--fps source"),
        ("ClipTimingLimits.maximumFrames", "the output frame limit"),
        ("DubbingOptions.batchSize", "--batch"),
        ("set overwrite to replace it", "pass --overwrite to replace it"),
    ]

    /// The flag that gives each face model's path.
    static let modelFlags = [
        FaceModelFiles.detectorRole: "--detector",
        FaceModelFiles.landmarkModelRole: "--landmark-model",
    ]

    /// The flag of each ``DubbingOptions`` property named by ``DubbingError/invalidOption(name:value:reason:)``.
    static let optionFlags = [
        "batchSize": "--batch", "referenceFrame": "--reference-frame", "referenceCount": "--reference-count",
        "steps": "--steps", "frameRange": "--frame-range", "faceRegion": "--crop",
    ]

    /// The one line printed for `error` (without the `Error: ` prefix).
    static func message(for error: Error, default text: String) -> String {
        switch error as? DubbingError {
        case .nonSquareFrame(let index, let height, let width):
            return "frame \(index) is \(width)x\(height), not square: pass the face region with --crop X,Y,SIZE, or leave out --landmarks to detect it"
        case .invalidOption(let name, let value, let reason):
            return "\(optionFlags[name] ?? name) \(value): \(reason)"
        case .frameRangeOutsideOutput(let range, let frames):
            return "--frame-range \(range): the output has \(frames) frame\(frames == 1 ? "" : "s") (0 to \(frames - 1)): nothing to render"
        case .referenceFrameOutOfRange(let index, let frames):
            return "--reference-frame \(index): the clip has \(frames) frame\(frames == 1 ? "" : "s") (0 to \(frames - 1))"
        case .damagedFrames(let input, let damaged, let frames):
            return "\(input): \(damaged) of \(frames) frames were decoded with errors (damaged video); --strict refuses it"
        case .noFaceInReference(let frame, let first?):
            return "no face was found in reference frame \(frame): pass --reference-frame \(first) (the first frame with a face)"
        default: break
        }
        if case FaceModelError.missing(let role, _, _) = error, let flag = modelFlags[role] {
            var line = text.replacingOccurrences(of: "or give its path", with: "or pass \(flag) PATH")
            if role == FaceModelFiles.landmarkModelRole {
                line = line.replacingOccurrences(
                    of: "download it from ", with: "run `diffdub models download pipnet` (or download it from ")
                line = line.replacingOccurrences(of: " into ~/.cache/diffdub/ (or $DIFFDUB_MODELS)", with: ")")
            }
            return rewrite(line)
        }
        return rewrite(text)
    }

    /// `text` with each library parameter name replaced by its flag.
    static func rewrite(_ text: String) -> String {
        flags.reduce(text) { $0.replacingOccurrences(of: $1.parameter, with: $1.flag) }
    }
}
