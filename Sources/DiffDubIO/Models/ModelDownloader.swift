import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Downloads released models (``ReleasedModel``) into a ``ModelStore``.
///
/// Each file is fetched from its published URL, or from `mirror/<file name>` when a mirror is
/// given, into `<file>.part` beside the target, written chunk by chunk as it arrives (memory
/// stays flat for any size), and renamed onto the target when complete. A `.part` left by an
/// earlier run is resumed with an HTTP `Range` request; a server that ignores the range (200)
/// restarts the file from its first byte. A dropped connection is retried ``retries`` times,
/// each attempt resuming where the last stopped; after that the error names the URL and the
/// `.part` stays for the next run. Files already present are not downloaded again.
public struct ModelDownloader: Sendable {
    /// The extension of an unfinished download (`stage1_state_dict.ckpt.part`).
    public static let partialExtension = "part"

    /// Where the files go.
    public var store: ModelStore
    /// When set, every file is fetched from `mirror/<file name>` instead of its published URL.
    public var mirror: URL?
    /// Further attempts after a dropped connection, each resuming the partial file.
    public var retries: Int = 3
    /// Seconds to wait before each further attempt.
    public var retryDelay: TimeInterval = 1
    /// Seconds without any data after which an attempt fails.
    public var idleTimeout: TimeInterval = 60

    /// A downloader into `store`, from `mirror` when given.
    public init(store: ModelStore = ModelStore(), mirror: URL? = nil) {
        self.store = store
        self.mirror = mirror
    }

    /// Where `file` is fetched from.
    public func sourceURL(for file: ModelFile) -> URL {
        guard let mirror else { return file.url }
        return mirror.appendingPathComponent(file.fileName)
    }

    /// Downloads every file of `models` that the store lacks, in order; returns one result per file.
    public func download(
        _ models: [ReleasedModel], progress: DownloadProgressHandler? = nil
    ) async throws -> [DownloadResult] {
        var results: [DownloadResult] = []
        for model in models {
            for file in model.files { results.append(try await download(file, progress: progress)) }
        }
        return results
    }

    /// Downloads `file` into the store unless it is there already.
    public func download(_ file: ModelFile, progress: DownloadProgressHandler? = nil) async throws -> DownloadResult {
        let target = store.url(for: file)
        if store.isRegularFile(target) {
            return DownloadResult(
                file: file, url: target, bytes: ModelStore.size(of: target) ?? 0, outcome: .alreadyPresent)
        }
        let folder = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ModelDownloadError.file(path: folder.path, reason: ModelStore.reason(error))
        }
        let partial = target.appendingPathExtension(Self.partialExtension)
        let source = sourceURL(for: file)
        var failures = 0
        var restarts = 0
        var reused = false  // whether the file continues bytes of an earlier attempt or run
        while true {
            try Task.checkCancellation()
            let attempt = HTTPFileTransfer(
                file: file, source: source, destination: partial, idleTimeout: idleTimeout, progress: progress)
            defer { if let start = attempt.responseStart { reused = start > 0 } }
            do {
                switch try await attempt.run() {
                case .complete:
                    break
                case .restartFromZero:
                    // The partial file does not fit the server's file (416 with another size).
                    try? FileManager.default.removeItem(at: partial)
                    restarts += 1
                    guard restarts <= 1 else {
                        throw ModelDownloadError.badResponse(
                            url: source.absoluteString, reason: "the server refuses every byte range")
                    }
                    continue
                }
            } catch let error as ModelDownloadError where error.isTransient && failures < retries {
                failures += 1
                try await Task.sleep(nanoseconds: UInt64(max(0, retryDelay) * 1e9))
                continue
            }
            break
        }
        if let expected = file.sha256 {
            let actual: String
            do {
                actual = try SHA256.hexDigest(ofFileAt: partial)
            } catch {
                throw ModelDownloadError.file(path: partial.path, reason: ModelStore.reason(error))
            }
            guard actual == expected.lowercased() else {
                try? FileManager.default.removeItem(at: partial)
                throw ModelDownloadError.checksumMismatch(path: target.path, expected: expected, actual: actual)
            }
        }
        do {
            try AtomicFile.commit(partial, to: target)
        } catch {
            throw ModelDownloadError.file(path: target.path, reason: ModelStore.reason(error))
        }
        let bytes = ModelStore.size(of: target) ?? 0
        return DownloadResult(
            file: file, url: target, bytes: bytes,
            outcome: reused ? .resumed(attempts: failures + 1) : .downloaded)
    }
}

/// What ``ModelDownloader`` did with one file.
public struct DownloadResult: Sendable, Hashable {
    /// How the file came to be there.
    public enum Outcome: Sendable, Hashable {
        /// It was already present; nothing was fetched.
        case alreadyPresent
        /// Downloaded from its first byte (a stale partial file the server would not resume is
        /// rewritten).
        case downloaded
        /// Completed by resuming a partial download (an earlier run's, or this run's after
        /// dropped connections) with range requests; `attempts` counts this run's requests.
        case resumed(attempts: Int)
    }

    /// The catalogue entry.
    public var file: ModelFile
    /// Where it is now.
    public var url: URL
    /// Its size in bytes.
    public var bytes: Int64
    /// How it got there.
    public var outcome: Outcome
}
