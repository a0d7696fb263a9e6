import Foundation

/// A short reason for a Foundation file-system error, for messages that name the file
/// themselves: "no such file or directory", "permission denied", never Foundation's generic
/// "The operation could not be completed" text.
enum SystemErrorText {
    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return posix(Int32(nsError.code)) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return posix(Int32(underlying.code))
        }
        if let cocoa = error as? CocoaError {
            switch cocoa.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: return posix(ENOENT)
            case .fileReadNoPermission, .fileWriteNoPermission: return posix(EACCES)
            case .fileWriteOutOfSpace: return posix(ENOSPC)
            case .fileReadTooLarge: return "file too large"
            case .fileWriteFileExists: return posix(EEXIST)
            case .fileReadCorruptFile: return "unreadable file"
            case .fileWriteVolumeReadOnly: return posix(EROFS)
            default: break
            }
        }
        if let described = (error as? LocalizedError)?.errorDescription, !described.contains("could not be completed") {
            return described
        }
        let text = "\(error)".split(separator: "\n").first.map(String.init) ?? ""
        return text.isEmpty ? "error \(nsError.code)" : text
    }

    static func posix(_ code: Int32) -> String { String(cString: strerror(code)).lowercased() }
}
