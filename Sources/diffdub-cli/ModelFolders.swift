import DiffDubIO
import Foundation

/// The folders the command searches for model files it was not given, in order: the library's
/// model folders (`$DIFFDUB_MODELS`, `~/.cache/diffdub`), then `Models/` of the current
/// directory and of the checkout this executable was built in (the nearest folder above it that
/// holds `Package.swift`; the repository ships `Models/faceboxesv2.pth`). The library itself
/// never looks next to the executable: the command finds the files and hands it their URLs.
enum ModelFolders {
    /// The folders, in order.
    static var all: [URL] {
        var folders = FaceModelFiles.searchFolders()
        folders.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Models"))
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                folders.append(folder.appendingPathComponent("Models"))
                break
            }
            folder = folder.deletingLastPathComponent()
        }
        return folders
    }

    /// The downloaded `model` in ``all``, if any.
    static func locate(_ model: ReleasedModel) -> URL? { ModelStore.locate(model, in: all) }

    /// `explicit` as a URL, or the first file called `name` in ``all``; `nil` when there is none
    /// (the library then names the folders it searched).
    static func file(_ explicit: String?, named name: String) -> URL? {
        if let explicit { return URL(fileURLWithPath: explicit) }
        return all.map { $0.appendingPathComponent(name) }.first { FileManager.default.fileExists(atPath: $0.path) }
    }
}
