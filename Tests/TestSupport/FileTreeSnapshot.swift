import Foundation

/// Every file under a path, relative name to bytes (a link to its destination, a folder to
/// nothing), hidden files included: two snapshots are equal when nothing under the path
/// changed, byte for byte.
package struct FileTreeSnapshot: Equatable, CustomStringConvertible {
    /// Relative path ("" for the root) to contents.
    package let entries: [String: Data]

    /// Reads everything under `url` (a file, a folder or a link; nothing when absent).
    package init(_ url: URL) throws {
        var entries: [String: Data] = [:]
        func visit(_ path: String, name: String) throws {
            let manager = FileManager.default
            let attributes = try? manager.attributesOfItem(atPath: path)
            switch attributes?[.type] as? FileAttributeType {
            case nil: return
            case .typeSymbolicLink?:
                entries[name] = Data("-> \(try manager.destinationOfSymbolicLink(atPath: path))".utf8)
            case .typeDirectory?:
                entries[name + "/"] = Data()
                for child in try manager.contentsOfDirectory(atPath: path) {
                    try visit(path + "/" + child, name: name.isEmpty ? child : name + "/" + child)
                }
            default:
                entries[name] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        try visit(url.path, name: "")
        self.entries = entries
    }

    /// The names and sizes, for failure messages.
    package var description: String {
        entries.keys.sorted().map { "\($0) (\(entries[$0]?.count ?? 0) bytes)" }.joined(separator: ", ")
    }
}
