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
        ("DubbingOptions.batchSize", "--batch"),
    ]

    /// The flag that gives each face model's path.
    static let modelFlags = [
        FaceModelFiles.detectorRole: "--detector",
        FaceModelFiles.landmarkModelRole: "--landmark-model",
    ]

    /// The one line printed for `error` (without the `Error: ` prefix).
    static func message(for error: Error, default text: String) -> String {
        if case FaceModelError.missing(let role, _, _) = error, let flag = modelFlags[role] {
            return rewrite(text.replacingOccurrences(of: "or give its path", with: "or pass \(flag) PATH"))
        }
        return rewrite(text)
    }

    /// `text` with each library parameter name replaced by its flag.
    static func rewrite(_ text: String) -> String {
        flags.reduce(text) { $0.replacingOccurrences(of: $1.parameter, with: $1.flag) }
    }
}
