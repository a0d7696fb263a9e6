import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A folder of downloaded models (`diffdub models list|download`), and where the commands
/// look for them.
///
/// The default folder is the first one `FaceModelFiles.searchFolders(environment:)` searches:
/// `$DIFFDUB_MODELS` when set, otherwise `~/.cache/diffdub`. Files keep their published names
/// (`stage1_state_dict.ckpt`, `pipnet_resnet18_10x68x32x256_300w.pth`); the Hubert files go in
/// the subfolder `chinese-hubert-large/`.
public struct ModelStore: Sendable, Hashable {
    /// The folder.
    public var folder: URL

    /// The store in `folder`.
    public init(folder: URL) { self.folder = folder }

    /// The store in the default folder (`$DIFFDUB_MODELS`, else `~/.cache/diffdub`).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(folder: Self.defaultFolder(environment: environment))
    }

    /// `$DIFFDUB_MODELS` when set and not empty, otherwise `~/.cache/diffdub`.
    package static func defaultFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        FaceModelFiles.searchFolders(environment: environment)[0]
    }

    /// Where `file` is (or goes) in this store.
    package func url(for file: ModelFile) -> URL {
        folder.appendingPathComponent(file.relativePath)
    }

    /// The checkpoint file (or, for `hubert`, the model folder) of `model` in this store, whether
    /// present or not.
    package func entryURL(for model: ReleasedModel) -> URL {
        folder.appendingPathComponent(model.entryPath)
    }

    /// Whether every file of `model` is in this store.
    public func isComplete(_ model: ReleasedModel) -> Bool {
        model.files.allSatisfy { isRegularFile(url(for: $0)) }
    }

    /// The downloaded `model` in `folders` (default ``FaceModelFiles/searchFolders(environment:)``:
    /// `$DIFFDUB_MODELS`, `~/.cache/diffdub`; the command line adds `./Models` and its checkout's
    /// `Models`): the checkpoint file, or for `hubert` the model folder, of the first folder
    /// holding all its files; `nil` when none does. For `dub` to default `--stage1`, `--stage2`
    /// and `--hubert-model`.
    package static func locate(_ model: ReleasedModel, in folders: [URL] = FaceModelFiles.searchFolders()) -> URL? {
        folders.lazy
            .map { ModelStore(folder: $0) }
            .first { $0.isComplete(model) }?
            .entryURL(for: model)
    }

    /// What this store holds of `model`, file by file; with `checksums` the SHA-256 of each
    /// present file is computed (reading the whole file).
    package func status(of model: ReleasedModel, checksums: Bool = true) throws -> [ModelFileStatus] {
        try model.files.map { file in
            let url = url(for: file)
            guard isRegularFile(url) else {
                let partial = url.appendingPathExtension(ModelDownloader.partialExtension)
                var partialSize: Int64?
                if case .regularFile(let size) = PathKind.of(partial) { partialSize = size }
                return ModelFileStatus(file: file, url: url, size: nil, sha256: nil, partialSize: partialSize)
            }
            let digest: String?
            do {
                digest = checksums ? try SHA256.hexDigest(ofFileAt: url) : nil
            } catch {
                throw ModelDownloadError.file(path: url.path, reason: Self.reason(error))
            }
            return ModelFileStatus(file: file, url: url, size: Self.size(of: url), sha256: digest, partialSize: nil)
        }
    }

    /// Whether `url` is a regular file (or a link to one): never a FIFO, which reading would
    /// block on, nor a directory.
    func isRegularFile(_ url: URL) -> Bool {
        var info = stat()
        return stat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    static func size(of url: URL) -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value
    }

    static func reason(_ error: Error) -> String {
        let text = (error as? LocalizedError)?.errorDescription ?? error.localizedDescription
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
    }
}

/// One file of a model in a ``ModelStore``: present (with its size and SHA-256) or missing.
package struct ModelFileStatus: Sendable, Hashable {
    /// The catalogue entry.
    package var file: ModelFile
    /// Where it is (or would be).
    package var url: URL
    /// The size in bytes when present.
    package var size: Int64?
    /// The SHA-256 (lowercase hex) when present and computed.
    package var sha256: String?
    /// The size of an unfinished download (`<file>.part`) when the file is missing and one exists.
    package var partialSize: Int64?

    /// Whether the file is present.
    package var isPresent: Bool { size != nil }

    /// Whether the file has the catalogue's size; `nil` when either is unknown.
    package var matchesPublishedSize: Bool? {
        guard let expected = file.size, let size else { return nil }
        return expected == size
    }

    /// Whether the file matches the catalogue's checksum; `nil` when either is unknown.
    package var matchesPublishedChecksum: Bool? {
        guard let expected = file.sha256, let sha256 else { return nil }
        return expected.lowercased() == sha256
    }
}
