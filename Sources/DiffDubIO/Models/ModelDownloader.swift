import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Downloads released models (``ReleasedModel``) into a ``ModelStore``.
///
/// Each file is fetched from its published URL, or from `mirror/<file name>` when a mirror is
/// given, into `<file>.part` beside the target, written chunk by chunk as it arrives (memory
/// stays flat for any size), and renamed onto the target when complete and checked. A `.part`
/// left by an earlier run is resumed with an HTTP `Range` request; a server that ignores the
/// range (200) restarts the file from its first byte. A dropped, stalled or too slow connection
/// is retried `retries` times, each attempt resuming where the last stopped; after that the
/// error names the URL and the `.part` stays for the next run. Files already present are not
/// downloaded again.
///
/// A file is kept only when whole:
/// - the response announces one `Content-Length` (not 0) and, for a resume, one
///   `Content-Range` that continues the `.part` to the last byte, with a total that is the
///   catalogue's `ModelFile.size` when known, and the body brings exactly those bytes; a 416
///   (range past the end) is taken as "complete" only when the `.part` has the announced size;
/// - the finished `.part` has the catalogue's size and SHA-256 when known, and parses as its
///   `ModelFile.Kind` (a checkpoint whose tensors lie inside the file, a JSON object).
///   A `.part` that fails these checks is removed (its bytes are wrong, a resume would keep
///   them); one that is only incomplete is kept;
/// - a file already at the final name is kept without being read again, unless it is empty or
///   not the published size (`ModelDownloadError.presentButWrong(path:reason:)`);
/// - the `.part` and the final name must be regular files or absent: a symbolic link, a
///   directory, a FIFO is refused with one line and left as it is (nothing followed, written
///   or deleted). The final name is given with `rename(2)`, which never replaces a directory.
public struct ModelDownloader: Sendable {
    /// The extension of an unfinished download (`stage1_state_dict.ckpt.part`).
    package static let partialExtension = "part"

    /// Where the files go.
    public var store: ModelStore
    /// When set, every file is fetched from `mirror/<file name>` instead of its published URL.
    public var mirror: URL?
    /// Further attempts after a dropped, stalled or too slow connection, each resuming the
    /// partial file.
    package var retries: Int = 3
    /// Seconds to wait before each further attempt.
    package var retryDelay: TimeInterval = 1
    /// Seconds without any byte (before the response or within its body) after which an
    /// attempt ends with ``ModelDownloadError/stalled(url:seconds:received:)``; also the length
    /// of the window over which ``minimumBytesPerSecond`` is measured. Default 60 s.
    package var idleTimeout: TimeInterval = 60
    /// The slowest transfer accepted: an attempt whose body brings fewer bytes per second than
    /// this over a window of ``idleTimeout`` seconds ends with
    /// ``ModelDownloadError/tooSlow(url:bytesPerSecond:minimum:seconds:)``. 0 turns the check
    /// off. Default 1,024 bytes/s (1 KiB/s: a 1 GB checkpoint would take twelve days).
    package var minimumBytesPerSecond: Double = 1024

    /// A downloader into `store`, from `mirror` when given.
    public init(store: ModelStore = ModelStore(), mirror: URL? = nil) {
        self.store = store
        self.mirror = mirror
    }

    /// Where `file` is fetched from.
    package func sourceURL(for file: ModelFile) -> URL {
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
    package func download(_ file: ModelFile, progress: DownloadProgressHandler? = nil) async throws -> DownloadResult {
        let target = store.url(for: file)
        switch PathKind.of(target) {
        case .regularFile(let size):
            // Not read again (a checksum of every present file would cost a minute), but one that
            // cannot be the file is not passed off as present.
            if size == 0 {
                throw ModelDownloadError.presentButWrong(path: target.path, reason: "empty")
            }
            if let expected = file.size, size != expected {
                throw ModelDownloadError.presentButWrong(
                    path: target.path, reason: "\(size) bytes, not the published \(expected)")
            }
            return DownloadResult(file: file, url: target, bytes: size, outcome: .alreadyPresent)
        case .missing:
            break
        case let other:
            throw ModelDownloadError.notARegularFile(path: target.path, what: other.phrase)
        }
        let folder = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ModelDownloadError.file(path: folder.path, reason: ModelStore.reason(error))
        }
        let partial = target.appendingPathExtension(Self.partialExtension)
        if let size = file.size, case .regularFile(let partialSize) = PathKind.of(partial), partialSize > size {
            // Longer than the published file: another file's bytes, never a prefix of this one.
            try remove(partial)
        }
        let (attempts, reused): (Int, Bool)
        do {
            (attempts, reused) = try await fetch(file, into: partial, progress: progress)
        } catch {
            // An empty .part (a refused or empty answer) holds nothing to resume.
            if case .regularFile(size: 0) = PathKind.of(partial) { try? remove(partial) }
            throw error
        }
        do {
            try Self.verify(partial, as: file, target: target)
        } catch ModelDownloadError.notARegularFile(let path, let what) {
            throw ModelDownloadError.notARegularFile(path: path, what: what)  // not ours to remove
        } catch {
            try? remove(partial)  // wrong bytes: a resume would keep them
            throw error
        }
        try Self.checkPartial(partial)
        let finalKind = PathKind.of(target)
        guard finalKind == .missing else {
            // Something appeared at the final name during the download: leave it, keep the .part.
            throw ModelDownloadError.notARegularFile(path: target.path, what: finalKind.phrase)
        }
        guard rename(partial.path, target.path) == 0 else {
            throw ModelDownloadError.file(path: target.path, reason: SystemErrorText.posix(errno))
        }
        let bytes = ModelStore.size(of: target) ?? 0
        return DownloadResult(
            file: file, url: target, bytes: bytes,
            outcome: reused ? .resumed(attempts: attempts) : .downloaded)
    }

    /// Runs attempts until `partial` holds the whole file as the server announced it; returns
    /// the number of requests and whether the file continues bytes of an earlier attempt or run.
    private func fetch(
        _ file: ModelFile, into partial: URL, progress: DownloadProgressHandler?
    ) async throws -> (attempts: Int, reused: Bool) {
        let source = sourceURL(for: file)
        var failures = 0
        var restarts = 0
        var reused = false  // whether the file continues bytes of an earlier attempt or run
        while true {
            try Task.checkCancellation()
            try Self.checkPartial(partial)
            let attempt = HTTPFileTransfer(
                file: file, source: source, destination: partial, idleTimeout: idleTimeout,
                minimumBytesPerSecond: minimumBytesPerSecond, progress: progress)
            defer { if let start = attempt.responseStart { reused = start > 0 } }
            do {
                switch try await attempt.run() {
                case .complete:
                    break
                case .restartFromZero:
                    // The partial file does not fit the server's file (416 with another size).
                    try remove(partial)
                    restarts += 1
                    guard restarts <= 1 else {
                        throw ModelDownloadError.badResponse(
                            url: source.absoluteString, reason: "the server refuses every byte range")
                    }
                    continue
                }
            } catch let error as ModelDownloadError where error.isTransient && failures < retries {
                failures += 1
                let delay = retryDelay.isFinite ? min(max(0, retryDelay), 3600) : 0
                try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                continue
            }
            break
        }
        return (failures + 1, reused)
    }

    /// Throws unless `partial` is absent or a regular file.
    static func checkPartial(_ partial: URL) throws {
        switch PathKind.of(partial) {
        case .missing, .regularFile: return
        case let other: throw ModelDownloadError.notARegularFile(path: partial.path, what: other.phrase)
        }
    }

    /// Checks a finished download against the catalogue (size, SHA-256) and its kind; errors
    /// name `target`.
    static func verify(_ partial: URL, as file: ModelFile, target: URL) throws {
        guard case .regularFile(let size) = PathKind.of(partial) else {
            throw ModelDownloadError.notARegularFile(path: partial.path, what: PathKind.of(partial).phrase)
        }
        if let expected = file.size, size != expected {
            throw ModelDownloadError.sizeMismatch(path: target.path, expected: expected, actual: size)
        }
        if let expected = file.sha256 {
            let actual: String
            do {
                actual = try SHA256.hexDigest(ofFileAt: partial)
            } catch {
                throw ModelDownloadError.file(path: partial.path, reason: ModelStore.reason(error))
            }
            guard actual == expected.lowercased() else {
                throw ModelDownloadError.checksumMismatch(path: target.path, expected: expected, actual: actual)
            }
        }
        if let reason = ModelFileContent.problem(in: partial, kind: file.kind) {
            throw ModelDownloadError.unusable(path: target.path, kind: file.kind, reason: reason)
        }
    }

    private func remove(_ partial: URL) throws {
        do {
            try FileManager.default.removeItem(at: partial)
        } catch {
            throw ModelDownloadError.file(path: partial.path, reason: ModelStore.reason(error))
        }
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
    package var file: ModelFile
    /// Where it is now.
    public var url: URL
    /// Its size in bytes.
    public var bytes: Int64
    /// How it got there.
    public var outcome: Outcome
}
