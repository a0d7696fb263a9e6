import Foundation

/// The temporary files and folders this process has made and not yet committed or removed
/// (``AtomicFile/temporaryURL(for:)`` registers each), so that an interrupted run can remove
/// them: the CLI calls ``removeAll()`` from its SIGINT/SIGTERM handler before exiting.
package enum TemporaryFiles {
    private final class Registry: @unchecked Sendable {
        let lock = NSLock()
        var paths: Set<String> = []
    }

    private static let registry = Registry()

    /// Records `url` as a temporary to remove if the process is interrupted.
    package static func register(_ url: URL) {
        registry.lock.withLock { _ = registry.paths.insert(url.path) }
    }

    /// Forgets `url` (it was committed or removed).
    package static func unregister(_ url: URL) {
        registry.lock.withLock { _ = registry.paths.remove(url.path) }
    }

    /// The registered paths, sorted.
    package static var registered: [String] {
        registry.lock.withLock { registry.paths.sorted() }
    }

    /// Removes every registered file or folder that still exists and forgets them all (only
    /// those inside `folder`, when given); returns the paths removed.
    @discardableResult
    package static func removeAll(inside folder: URL? = nil) -> [String] {
        let prefix = folder.map { $0.standardizedFileURL.path + "/" }
        let paths = registry.lock.withLock {
            let paths = registry.paths.filter { path in prefix.map { path.hasPrefix($0) } ?? true }
            registry.paths.subtract(paths)
            return paths
        }
        var removed: [String] = []
        for path in paths.sorted() where FileManager.default.fileExists(atPath: path) {
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        return removed
    }
}
