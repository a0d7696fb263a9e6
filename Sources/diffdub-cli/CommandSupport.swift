import ArgumentParser
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
