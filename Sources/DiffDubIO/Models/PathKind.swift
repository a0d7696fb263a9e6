import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What is at a path, read with `lstat` (a symbolic link is reported as one, never followed).
enum PathKind: Equatable {
    case missing
    case regularFile(size: Int64)
    case symbolicLink
    case directory
    case fifo
    case other

    /// What is at `url`, not following a final symbolic link.
    static func of(_ url: URL) -> PathKind {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile(size: Int64(info.st_size))
        case S_IFLNK: return .symbolicLink
        case S_IFDIR: return .directory
        case S_IFIFO: return .fifo
        default: return .other
        }
    }

    /// The phrase of ``ModelDownloadError/notARegularFile(path:what:)``.
    var phrase: String {
        switch self {
        case .missing: "missing"
        case .regularFile: "a regular file"
        case .symbolicLink: "a symbolic link"
        case .directory: "a directory"
        case .fifo: "a FIFO (named pipe)"
        case .other: "a socket or device"
        }
    }
}
