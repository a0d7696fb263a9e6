import Foundation

/// Writing files so that a failed run leaves nothing half-written: data goes to a
/// temporary name in the destination folder and is renamed into place when complete.
package enum AtomicFile {
    /// A temporary sibling of `url` (same folder, hidden, unique), registered in
    /// ``TemporaryFiles`` until it is committed.
    package static func temporaryURL(for url: URL) -> URL {
        let name = ".\(url.lastPathComponent).partial-\(UUID().uuidString.prefix(8))"
        let temporary = url.deletingLastPathComponent().appendingPathComponent(name)
        TemporaryFiles.register(temporary)
        return temporary
    }

    /// Writes `data` to `url` through a temporary file and a rename.
    package static func write(_ data: Data, to url: URL) throws {
        let temporary = temporaryURL(for: url)
        do {
            try data.write(to: temporary)
            try commit(temporary, to: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            TemporaryFiles.unregister(temporary)
            throw error
        }
    }

    /// Moves a completed temporary file or folder onto `url`, replacing what was there.
    ///
    /// A file replaces a file in one `rename`. A folder cannot be renamed onto a folder that
    /// holds files, so the old one is first renamed aside, the new one renamed into place, and
    /// the old one removed: at every moment `url` is either the old output or the new one.
    package static func commit(_ temporary: URL, to url: URL) throws {
        defer { TemporaryFiles.unregister(temporary) }
        guard rename(temporary.path, url.path) != 0 else { return }
        let manager = FileManager.default
        guard manager.fileExists(atPath: url.path) else {
            try manager.moveItem(at: temporary, to: url)
            return
        }
        let old = temporaryURL(for: url)
        try manager.moveItem(at: url, to: old)
        do {
            try manager.moveItem(at: temporary, to: url)
        } catch {
            try? manager.moveItem(at: old, to: url)
            TemporaryFiles.unregister(old)
            throw error
        }
        try? manager.removeItem(at: old)
        TemporaryFiles.unregister(old)
    }
}
