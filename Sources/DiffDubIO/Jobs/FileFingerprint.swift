import Foundation

/// The identity of one file: size and SHA-256, so that a job can tell whether an input or a
/// model is still the one it was prepared with.
package struct FileFingerprint: Sendable, Hashable, Codable {
    /// The file's path (absolute for inputs, a bare name inside a folder input).
    package var path: String
    /// Size in bytes.
    package var size: Int64
    /// SHA-256, lower-case hexadecimal.
    package var sha256: String

    /// A fingerprint with the given values.
    package init(path: String, size: Int64, sha256: String) {
        self.path = path
        self.size = size
        self.sha256 = sha256
    }

    /// Reads and hashes the file at `url`, recorded under `name` (default its path).
    ///
    /// - Throws: ``JobError/damaged(path:reason:)`` when the file cannot be read.
    package init(of url: URL, name: String? = nil) throws {
        let size: Int64
        let digest: String
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
            digest = try SHA256.hexDigest(ofFileAt: url)
        } catch {
            throw JobError.damaged(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        self.init(path: name ?? url.path, size: size, sha256: digest)
    }

    /// Why the file at `url` is not this one (`nil` when it is): missing, another size, or
    /// other content. The size is compared first, so a changed length costs no hashing.
    package func difference(from url: URL) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return "missing" }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        if size != self.size { return "size \(size) bytes, prepared with \(self.size)" }
        guard let digest = try? SHA256.hexDigest(ofFileAt: url) else { return "unreadable" }
        return digest == sha256 ? nil : "SHA-256 \(digest.prefix(12))..., prepared with \(sha256.prefix(12))..."
    }
}

/// One input of a job as prepared: a file, or a folder of files (a frame folder, a landmarks
/// folder, a Hugging Face model folder) with each file's fingerprint.
package struct JobInput: Sendable, Hashable, Codable {
    /// What the input is (`video`, `frames`, `stage-1 checkpoint`, ...): named in messages.
    package var role: String
    /// The file or folder.
    package var path: String
    /// The file's fingerprint (a file input).
    package var file: FileFingerprint?
    /// The folder's files, by name in natural order (a folder input; hidden files excluded).
    package var files: [FileFingerprint]?

    /// Fingerprints the file or folder at `url`.
    ///
    /// - Throws: ``JobError/damaged(path:reason:)`` when it cannot be read.
    package init(role: String, url: URL) throws {
        self.role = role
        self.path = url.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw JobError.damaged(path: url.path, reason: "\(role) not found")
        }
        if isFolder.boolValue {
            files = try Self.listing(url).map { try FileFingerprint(of: url.appendingPathComponent($0), name: $0) }
        } else {
            file = try FileFingerprint(of: url)
        }
    }

    /// Checks that the input is unchanged.
    ///
    /// - Throws: ``JobError/changedFile(role:path:reason:)`` naming the file that differs: the
    ///   input file, or the one file of a folder that was changed, added or removed.
    package func verify() throws {
        let url = URL(fileURLWithPath: path)
        if let file {
            if let reason = file.difference(from: url) { throw JobError.changedFile(role: role, path: path, reason: reason) }
            return
        }
        let prepared = files ?? []
        let names = (try? Self.listing(url)) ?? []
        let known = Set(prepared.map(\.path))
        if let added = names.first(where: { !known.contains($0) }) {
            throw JobError.changedFile(
                role: "\(role) file", path: url.appendingPathComponent(added).path, reason: "added after prepare")
        }
        for entry in prepared {
            if let reason = entry.difference(from: url.appendingPathComponent(entry.path)) {
                throw JobError.changedFile(role: "\(role) file", path: url.appendingPathComponent(entry.path).path, reason: reason)
            }
        }
    }

    /// The non-hidden regular files of `folder`, in natural order.
    static func listing(_ folder: URL) throws -> [String] {
        let manager = FileManager.default
        return try manager.contentsOfDirectory(atPath: folder.path)
            .filter { name in
                var isFolder: ObjCBool = false
                return !name.hasPrefix(".")
                    && manager.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isFolder)
                    && !isFolder.boolValue
            }
            .sorted(by: FrameFolder.naturallyPrecedes)
    }
}
