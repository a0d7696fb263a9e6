import Foundation

/// A fresh folder under the system's temporary directory, removed when released.
package final class TemporaryDirectory {
    /// The folder.
    package let url: URL

    /// Creates the folder.
    package init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("diffdub-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
