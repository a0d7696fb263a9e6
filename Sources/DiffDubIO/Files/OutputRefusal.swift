import Foundation

/// An output path that ``OutputGuard`` refuses, because writing there would destroy a file or
/// folder the run did not make. Nothing is written when it is thrown.
package enum OutputRefusal: Error, LocalizedError, CustomStringConvertible, Equatable {
    /// The path is empty (it would name the working directory).
    case emptyPath
    /// The path is the working directory (`.`, or a link to it).
    case workingDirectory(path: String)
    /// The path is a folder that holds the working directory (`..`, `/`, `~`).
    case holdsWorkingDirectory(path: String, workingDirectory: String)
    /// The path is a file or folder the run reads (`role` says which: "video", "job folder").
    case isProtected(path: String, role: String)
    /// The path is a folder that holds a file or folder the run reads.
    case holdsProtected(path: String, role: String, protected: String)
    /// The path lies inside a folder the run reads.
    case insideProtected(path: String, role: String, protected: String)
    /// The path is a non-empty folder this tool did not write (it has no ``OutputGuard/markerName``).
    case foreignFolder(path: String)
    /// A file is already at the path, and overwriting was not asked for.
    case existingFile(path: String)
    /// A folder an earlier run wrote is at the path, and overwriting was not asked for.
    case existingOutput(path: String)
    /// Something that is neither a regular file nor a folder (a device, a FIFO, a socket) is at the path.
    case notFileOrFolder(path: String)

    /// One line naming the path and why it is refused.
    package var description: String {
        switch self {
        case .emptyPath: "the output path is empty: give a file or folder name"
        case .workingDirectory(let path):
            "\(path): is the working directory; an output there would replace it: give a new file or folder"
        case .holdsWorkingDirectory(let path, let cwd):
            "\(path): holds the working directory \(cwd); an output there would replace it: give a new file or folder"
        case .isProtected(let path, let role):
            "\(path): is an input of this run (the \(role)); an output must not replace it"
        case .holdsProtected(let path, let role, let protected):
            "\(path): holds an input of this run (the \(role) \(protected)); an output there would replace it"
        case .insideProtected(let path, let role, let protected):
            "\(path): is inside an input of this run (the \(role) \(protected)); write the output elsewhere"
        case .foreignFolder(let path):
            "\(path): a folder holding files diffdub did not write; give a new or empty folder"
        case .existingFile(let path): "\(path): already exists; set overwrite to replace it"
        case .existingOutput(let path):
            "\(path): holds the output of an earlier run; set overwrite to replace it"
        case .notFileOrFolder(let path): "\(path): is neither a regular file nor a folder; give another path"
        }
    }

    /// The same line, for `localizedDescription`.
    package var errorDescription: String? { description }
}
