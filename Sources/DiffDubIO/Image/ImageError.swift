import Foundation

/// What can go wrong reading or writing image files and frame folders.
package enum ImageError: LocalizedError, CustomStringConvertible, Equatable {
    /// The file could not be decoded (missing, not a PNG, corrupt); `reason` is libpng's message.
    case unreadable(path: String, reason: String)
    /// The file could not be written.
    case unwritable(path: String, reason: String)
    /// The image has no pixels.
    case empty(path: String)
    /// The image has more pixels than ``ReaderLimits/maximumImagePixels``.
    case tooLarge(path: String, width: Int, height: Int, limit: Int)
    /// A folder holds no frames with the expected extension.
    case noFrames(folder: String, fileExtension: String)
    /// A folder could not be listed.
    case unreadableFolder(path: String, reason: String)
    /// A frame folder's numbering skips `name` (the first missing frame).
    case missingFrame(folder: String, name: String)
    /// Two names of a frame folder carry the same number (`7.png` and `007.png`).
    case duplicateFrameNumber(folder: String, first: String, second: String)

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// A one-line explanation naming the file.
    package var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read image: \(reason)"
        case .unwritable(let path, let reason): "\(path): cannot write image: \(reason)"
        case .empty(let path): "\(path): image has no pixels"
        case .tooLarge(let path, let width, let height, let limit):
            "\(path): image of \(width)x\(height) pixels exceeds the limit of \(limit) pixels (DIFFDUB_MAX_IMAGE_PIXELS)"
        case .noFrames(let folder, let ext): "\(folder): no .\(ext) frames in this folder"
        case .unreadableFolder(let path, let reason): "\(path): cannot list folder: \(reason)"
        case .missingFrame(let folder, let name):
            "\(folder): frame \(name) is missing: the numbering has a gap there (every frame must be present)"
        case .duplicateFrameNumber(let folder, let first, let second):
            "\(folder): \(first) and \(second) have the same frame number"
        }
    }
}
