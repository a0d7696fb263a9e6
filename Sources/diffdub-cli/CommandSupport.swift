import ArgumentParser
import DiffDubIO
import Foundation

/// A failure of a command, reported as one line.
struct CommandError: Error, CustomStringConvertible {
    /// The line to print.
    let description: String

    init(_ description: String) { self.description = description }
}

/// Throws a ``ValidationError`` unless `path` names an existing regular file.
func requireFile(_ path: String, option: String) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
        throw ValidationError("\(option) \(path): no such file")
    }
}

/// The help of every command's `--overwrite`.
let overwriteHelp = ArgumentHelp(
    "Replace an existing output file, or a folder an earlier run wrote (never an input, the working directory or a folder diffdub did not write).")

/// Refuses `path` as a command's output when writing there would destroy a file or folder
/// (``OutputGuard``): the working directory or a folder holding it, one of `inputs` (role,
/// path; `nil` paths skipped), a folder holding one or a path inside one, a non-empty folder
/// diffdub did not write, or (unless `overwrite`) an existing file or earlier output.
func checkOutput(_ path: String, inputs: [(role: String, path: String?)], overwrite: Bool) throws {
    try makeOutputGuard(inputs: inputs, overwrite: overwrite).check(path: path)
}

/// The ``OutputGuard`` of a command reading `inputs` (role, path; `nil` paths skipped).
func makeOutputGuard(inputs: [(role: String, path: String?)], overwrite: Bool) -> OutputGuard {
    let protected = inputs.compactMap { input in
        input.path.map { OutputGuard.ProtectedPath(role: input.role, url: URL(fileURLWithPath: $0)) }
    }
    return OutputGuard(protecting: protected, overwrite: overwrite)
}
