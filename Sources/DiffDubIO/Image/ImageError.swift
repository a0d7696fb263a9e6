import Foundation

/// What can go wrong reading or writing image files and frame folders.
public enum ImageError: Error, CustomStringConvertible, Equatable {
    /// The file could not be decoded (missing, not a PNG, corrupt); `reason` is libpng's message.
    case unreadable(path: String, reason: String)
    /// The file could not be written.
    case unwritable(path: String, reason: String)
    /// The image has no pixels.
    case empty(path: String)
    /// A folder holds no frames with the expected extension.
    case noFrames(folder: String, fileExtension: String)
    /// A folder could not be listed.
    case unreadableFolder(path: String, reason: String)

    /// A one-line explanation naming the file.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read image: \(reason)"
        case .unwritable(let path, let reason): "\(path): cannot write image: \(reason)"
        case .empty(let path): "\(path): image has no pixels"
        case .noFrames(let folder, let ext): "\(folder): no .\(ext) frames in this folder"
        case .unreadableFolder(let path, let reason): "\(path): cannot list folder: \(reason)"
        }
    }
}
