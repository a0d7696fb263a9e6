import DiffDubIO
import Foundation
import IOTestSupport
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ModelDownloader` against hostile mirrors (scripted `LoopbackHTTPServer` answers) and
/// hostile model folders: a file is kept only when whole, and nothing that is not ours is
/// followed, written or deleted. Each test asserts the final name and the `.part`.
///
/// Bounded in time: every downloader here has `retries = 0`; the stall and drip tests use a
/// 0.5-2 s idle timeout; every scripted server thread ends when the client hangs up (or after
/// its `holdOpenFor`), and servers stop when released.
@Suite struct HostileDownloadTests {
    private let file = ModelFile(relativePath: "weights.pth", url: URL(string: "https://example.invalid/weights.pth")!)
    private let data = checkpointPayload(131_072, seed: 53)

    private func downloader(_ folder: URL, _ server: LoopbackHTTPServer) -> ModelDownloader {
        var downloader = ModelDownloader(store: ModelStore(folder: folder), mirror: server.baseURL)
        downloader.retries = 0
        downloader.retryDelay = 0
        downloader.idleTimeout = 60
        return downloader
    }

    /// A server whose every answer to `/weights.pth` is `script`.
    private func server(_ script: @escaping @Sendable (String?) -> LoopbackHTTPServer.Script) throws
        -> LoopbackHTTPServer
    {
        var behaviour = LoopbackHTTPServer.Behaviour()
        behaviour.script = { path, range in path == "/weights.pth" ? script(range) : nil }
        return try LoopbackHTTPServer(files: [:], behaviour: behaviour)
    }

    private func ok(_ headers: [String], _ body: Data) -> LoopbackHTTPServer.Script {
        .init(status: 200, head: ["HTTP/1.1 200 OK"] + headers, body: body)
    }

    /// The `FileManager` type of what is at `url` (not following a link), `nil` when nothing is.
    private func type(_ url: URL) -> FileAttributeType? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType
    }

    private func size(_ url: URL) -> Int? {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue
    }

    /// Runs the download, which must fail; returns its error.
    private func failure(_ downloader: ModelDownloader, _ file: ModelFile? = nil) async -> ModelDownloadError? {
        do {
            let result = try await downloader.download(file ?? self.file)
            Issue.record("the download must fail, got \(result.outcome)")
            return nil
        } catch let error as ModelDownloadError {
            #expect(!(error.localizedDescription.contains("\n")))
            return error
        } catch {
            Issue.record("expected a ModelDownloadError, got \(error)")
            return nil
        }
    }

    // MARK: Bodies that are not the file

    @Test func emptyBodyWithContentLengthZeroIsRefused() async throws {
        let server = try server { _ in ok(["Content-Length: 0"], Data()) }
        let folder = try TemporaryDirectory()
        let error = await failure(downloader(folder.url, server))
        #expect(error?.localizedDescription.contains("an empty body") == true, "\(String(describing: error))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == [], "no file, no .part")
    }

    @Test func emptyBodyWithoutLengthIsRefused() async throws {
        let server = try server { _ in ok([], Data()) }
        let folder = try TemporaryDirectory()
        let error = await failure(downloader(folder.url, server))
        #expect(error?.localizedDescription.contains("the body is empty") == true, "\(String(describing: error))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == [], "no file, no .part")
    }

    /// A `Content-Length` shorter than the file: the body matches it, but the 1,000 bytes do
    /// not parse as a checkpoint, so they are removed.
    @Test func shortContentLengthIsNotKept() async throws {
        let server = try server { [data] _ in ok(["Content-Length: 1000"], data.prefix(1000)) }
        let folder = try TemporaryDirectory()
        let error = await failure(downloader(folder.url, server))
        guard case .unusable(let path, let kind, let reason) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(path == folder.url.appendingPathComponent("weights.pth").path)
        #expect(kind == .checkpoint)
        #expect(!(reason.isEmpty))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == [])
    }

    /// With the size published, the short announcement is refused before a byte is written.
    @Test func announcedSizeOtherThanThePublishedOneIsRefused() async throws {
        let server = try server { [data] _ in ok(["Content-Length: 1000"], data.prefix(1000)) }
        let folder = try TemporaryDirectory()
        var pinned = file
        pinned.size = Int64(data.count)
        let error = await failure(downloader(folder.url, server), pinned)
        #expect(
            error?.localizedDescription.contains("announces 1000 bytes; the published file has 131072") == true,
            "\(String(describing: error))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == [])
    }

    @Test func duplicateContentLengthIsRefused() async throws {
        let server = try server { [data] _ in ok(["Content-Length: 10", "Content-Length: 131072"], data) }
        let folder = try TemporaryDirectory()
        let error = await failure(downloader(folder.url, server))
        #expect(
            error?.localizedDescription.contains("2 Content-Length values (10, 131072); one is needed") == true,
            "\(String(describing: error))")
        #expect(type(folder.url.appendingPathComponent("weights.pth")) == nil, "no final file")
        #expect(type(folder.url.appendingPathComponent("weights.pth.part")) == nil, "nothing written")
    }

    /// A 206 whose `Content-Range` does not continue the `.part`: refused, the `.part` untouched.
    @Test func inconsistentContentRangeIsRefused() async throws {
        let server = try server { [data] _ in
            .init(
                status: 206,
                head: ["HTTP/1.1 206 Partial Content", "Content-Range: bytes 0-99/131072", "Content-Length: 100"],
                body: data.prefix(100))
        }
        let folder = try TemporaryDirectory()
        let part = folder.url.appendingPathComponent("weights.pth.part")
        try data.prefix(1000).write(to: part)
        let error = await failure(downloader(folder.url, server))
        guard case .badResponse(_, let reason) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(reason.contains("bytes 0-99/131072"), "\(reason)")
        #expect(server.requests.map(\.range) == ["bytes=1000-"])
        #expect(try Data(contentsOf: part) == data.prefix(1000), "the .part is untouched")
        #expect(type(folder.url.appendingPathComponent("weights.pth")) == nil)
    }

    /// A 416 `bytes */50000` for a 50,000-byte `.part` of a 131,072-byte file: the sizes agree,
    /// but the bytes do not parse, so nothing is kept.
    @Test func lying416IsNotTrustedBlindly() async throws {
        let server = try server { _ in
            .init(
                status: 416,
                head: ["HTTP/1.1 416 Range Not Satisfiable", "Content-Range: bytes */50000", "Content-Length: 0"])
        }
        let folder = try TemporaryDirectory()
        let part = folder.url.appendingPathComponent("weights.pth.part")
        try data.prefix(50_000).write(to: part)
        let error = await failure(downloader(folder.url, server))
        guard case .unusable = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == [], "the bad .part is removed")
    }

    /// With the size published, a 416 announcing another total is not "complete": the `.part`
    /// is dropped and the file fetched whole.
    @Test func a416WithAnotherTotalThanThePublishedSizeRestarts() async throws {
        let server = try server { [data] range in
            range == nil
                ? ok(["Content-Length: \(data.count)"], data)
                : .init(
                    status: 416,
                    head: ["HTTP/1.1 416 Range Not Satisfiable", "Content-Range: bytes */50000", "Content-Length: 0"])
        }
        let folder = try TemporaryDirectory()
        try data.prefix(50_000).write(to: folder.url.appendingPathComponent("weights.pth.part"))
        var pinned = file
        pinned.size = Int64(data.count)
        pinned.sha256 = SHA256.hexDigest(of: data)
        let result = try await downloader(folder.url, server).download(pinned)
        #expect(result.outcome == .downloaded)
        #expect(server.requests.map(\.status) == [416, 200])
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("weights.pth")) == data)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["weights.pth"])
    }

    @Test func configThatIsNotJSONIsNotKept() async throws {
        let server = try server { _ in ok(["Content-Length: 9"], Data("<html/>\r\n".utf8)) }
        let folder = try TemporaryDirectory()
        let config = ModelFile(
            relativePath: "weights.pth", url: URL(string: "https://example.invalid/weights.pth")!, kind: .jsonObject)
        let error = await failure(downloader(folder.url, server), config)
        guard case .unusable(_, .jsonObject, _) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(error?.localizedDescription.contains("is not a JSON object") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == [])
    }

    @Test func publishedSizeIsChecked() async throws {
        let server = try server { [data] _ in ok([], data) }  // no Content-Length: only the end tells
        let folder = try TemporaryDirectory()
        var pinned = file
        pinned.size = Int64(data.count + 1)
        let error = await failure(downloader(folder.url, server), pinned)
        #expect(
            error
                == .sizeMismatch(
                    path: folder.url.appendingPathComponent("weights.pth").path, expected: Int64(data.count + 1),
                    actual: Int64(data.count)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == [])
    }

    /// A config of more than 16 MB is not read into memory to be parsed.
    @Test func oversizedConfigIsNotRead() async throws {
        let big = Data(repeating: UInt8(ascii: " "), count: 16 << 20 + 1)
        let server = try server { _ in ok(["Content-Length: \(big.count)"], big) }
        let folder = try TemporaryDirectory()
        let config = ModelFile(
            relativePath: "weights.pth", url: URL(string: "https://example.invalid/weights.pth")!, kind: .jsonObject)
        let error = await failure(downloader(folder.url, server), config)
        #expect(
            error?.localizedDescription.contains("more than a config's 16777216") == true,
            "\(String(describing: error))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == [])
    }

    /// An empty file, or one of another size than the published one, at the final name (an
    /// older tool's leftover) is neither passed off as present nor replaced.
    @Test func emptyOrWrongSizedFileAlreadyThereIsReportedAndKept() async throws {
        let server = try server { [data] _ in ok(["Content-Length: \(data.count)"], data) }
        let folder = try TemporaryDirectory()
        let target = folder.url.appendingPathComponent("weights.pth")
        try Data().write(to: target)
        let error = await failure(downloader(folder.url, server))
        #expect(error == .presentButWrong(path: target.path, reason: "empty"), "\(String(describing: error))")
        #expect(error?.localizedDescription.hasSuffix("move it away to download it again") == true)

        try data.prefix(10).write(to: target)
        var pinned = file
        pinned.size = Int64(data.count)
        let wrong = await failure(downloader(folder.url, server), pinned)
        #expect(wrong == .presentButWrong(path: target.path, reason: "10 bytes, not the published 131072"))
        #expect(try Data(contentsOf: target) == data.prefix(10), "kept as it is")
        #expect(server.requests.isEmpty)
    }

    // MARK: Redirects

    @Test func redirectToAFileURLSaysTheSchemeIsRefused() async throws {
        let server = try server { _ in
            .init(status: 302, head: ["HTTP/1.1 302 Found", "Location: file:///etc/passwd", "Content-Length: 0"])
        }
        let folder = try TemporaryDirectory()
        let error = await failure(downloader(folder.url, server))
        #expect(
            error
                == .unsupportedRedirect(
                    url: server.baseURL.absoluteString + "/weights.pth", location: "file:///etc/passwd"),
            "\(String(describing: error))")
        #expect(error?.localizedDescription.contains("only http and https redirects are followed") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == [])
    }

    @Test func redirectLoopIsCutShort() async throws {
        let server = try server { _ in
            .init(status: 302, head: ["HTTP/1.1 302 Found", "Location: /weights.pth", "Content-Length: 0"])
        }
        let folder = try TemporaryDirectory()
        let error = await failure(downloader(folder.url, server))
        #expect(
            error?.localizedDescription.contains("more than 10 redirects") == true, "\(String(describing: error))")
        #expect(server.requests.count == 11)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == [])
    }

    // MARK: What is at the .part and the final name

    @Test func partThatIsASymbolicLinkIsNotFollowed() async throws {
        let server = try server { [data] _ in ok(["Content-Length: \(data.count)"], data) }
        let folder = try TemporaryDirectory()
        let victim = folder.url.appendingPathComponent("victim.txt")
        try Data("precious".utf8).write(to: victim)
        let models = folder.url.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        let part = models.appendingPathComponent("weights.pth.part")
        try FileManager.default.createSymbolicLink(at: part, withDestinationURL: victim)

        let error = await failure(downloader(models, server))
        #expect(error == .notARegularFile(path: part.path, what: "a symbolic link"), "\(String(describing: error))")
        #expect(try Data(contentsOf: victim) == Data("precious".utf8), "the link's target is untouched")
        #expect(type(part) == .typeSymbolicLink, "the link stays")
        #expect(type(models.appendingPathComponent("weights.pth")) == nil)
        #expect(server.requests.isEmpty, "refused before any request")
    }

    @Test func partThatIsAFIFODoesNotBlock() async throws {
        let server = try server { [data] _ in ok(["Content-Length: \(data.count)"], data) }
        let folder = try TemporaryDirectory()
        let part = folder.url.appendingPathComponent("weights.pth.part")
        try #require(mkfifo(part.path, 0o644) == 0)
        let error = await failure(downloader(folder.url, server))
        #expect(error == .notARegularFile(path: part.path, what: "a FIFO (named pipe)"), "\(String(describing: error))")
        #expect(type(part) != nil && type(part) != .typeRegular, "the FIFO stays")
        #expect(type(folder.url.appendingPathComponent("weights.pth")) == nil)
    }

    /// A link or FIFO put at the `.part` after the downloader looked (here by the server, while
    /// it answers the request) is caught by the open itself (`O_NOFOLLOW | O_NONBLOCK`, `fstat`).
    @Test(arguments: ["link", "fifo"])
    func partSwappedDuringTheRequestIsNotFollowed(_ swap: String) async throws {
        let folder = try TemporaryDirectory()
        let victim = folder.url.appendingPathComponent("victim.txt")
        try Data("precious".utf8).write(to: victim)
        let models = folder.url.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        let part = models.appendingPathComponent("weights.pth.part")
        let server = try server { [data] _ in
            if swap == "link" {
                try? FileManager.default.createSymbolicLink(at: part, withDestinationURL: victim)
            } else {
                _ = mkfifo(part.path, 0o644)
            }
            return ok(["Content-Length: \(data.count)"], data)
        }
        let error = await failure(downloader(models, server))
        let what = swap == "link" ? "a symbolic link" : "a FIFO (named pipe)"
        #expect(error == .notARegularFile(path: part.path, what: what), "\(String(describing: error))")
        #expect(try Data(contentsOf: victim) == Data("precious".utf8), "the link's target is untouched")
        if swap == "link" {
            #expect(type(part) == .typeSymbolicLink, "the link stays")
        } else {
            #expect(type(part) != nil && type(part) != .typeRegular, "the FIFO stays")
        }
        #expect(type(models.appendingPathComponent("weights.pth")) == nil)
    }

    @Test func nonEmptyDirectoryAtTheFinalNameIsNotDeleted() async throws {
        let server = try server { [data] _ in ok(["Content-Length: \(data.count)"], data) }
        let folder = try TemporaryDirectory()
        let target = folder.url.appendingPathComponent("weights.pth")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: target.appendingPathComponent("notes.txt"))

        let error = await failure(downloader(folder.url, server))
        #expect(error == .notARegularFile(path: target.path, what: "a directory"), "\(String(describing: error))")
        #expect(try Data(contentsOf: target.appendingPathComponent("notes.txt")) == Data("keep me".utf8))
        #expect(type(target.appendingPathExtension("part")) == nil)
        #expect(server.requests.isEmpty)
    }

    @Test func symbolicLinkAtTheFinalNameIsRefused() async throws {
        let server = try server { [data] _ in ok(["Content-Length: \(data.count)"], data) }
        let folder = try TemporaryDirectory()
        let victim = folder.url.appendingPathComponent("victim.txt")
        try Data("precious".utf8).write(to: victim)
        let models = folder.url.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        let target = models.appendingPathComponent("weights.pth")
        try FileManager.default.createSymbolicLink(at: target, withDestinationURL: victim)

        let error = await failure(downloader(models, server))
        #expect(error == .notARegularFile(path: target.path, what: "a symbolic link"), "\(String(describing: error))")
        #expect(type(target) == .typeSymbolicLink)
        #expect(try Data(contentsOf: victim) == Data("precious".utf8))
        #expect(server.requests.isEmpty)
    }

    // MARK: Stalls and drips

    /// Headers and 1,000 bytes, then silence: the attempt ends after the idle timeout, the
    /// `.part` keeps the 1,000 bytes, and the next run resumes from there.
    @Test func stallAfterTheHeadersEndsTheAttemptAndKeepsThePart() async throws {
        let server = try server { [data] _ in
            .init(
                status: 200, head: ["HTTP/1.1 200 OK", "Content-Length: \(data.count)"], body: data.prefix(1000),
                holdOpenFor: 30)
        }
        let folder = try TemporaryDirectory()
        var stalling = downloader(folder.url, server)
        stalling.idleTimeout = 0.5
        stalling.minimumBytesPerSecond = 0
        let error = await failure(stalling)
        guard case .stalled(let url, let seconds, let received) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(url == server.baseURL.absoluteString + "/weights.pth")
        #expect(seconds == 0.5)
        #expect(received == 1000)
        #expect(error?.isTransient == true)
        let part = folder.url.appendingPathComponent("weights.pth.part")
        #expect(try Data(contentsOf: part) == data.prefix(1000), "the .part is kept for a resume")
        #expect(type(folder.url.appendingPathComponent("weights.pth")) == nil)

        // A well-behaved mirror then completes it with a range request.
        let good = try LoopbackHTTPServer(files: ["/weights.pth": data])
        let result = try await downloader(folder.url, good).download(file)
        #expect(result.outcome == .resumed(attempts: 1))
        #expect(good.requests.map(\.range) == ["bytes=1000-"])
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("weights.pth")) == data)
    }

    /// A server that drips 1 byte every 50 ms (20 bytes/s, under the 1 KiB/s floor) is left
    /// after a window of the idle timeout; the bytes received stay in the `.part`.
    @Test func dripBelowTheFloorEndsTheAttemptAndKeepsThePart() async throws {
        let server = try server { [data] _ in
            .init(
                status: 200, head: ["HTTP/1.1 200 OK", "Content-Length: \(data.count)"], body: data.prefix(400),
                dripInterval: 0.05, holdOpenFor: 30)
        }
        let folder = try TemporaryDirectory()
        var dripping = downloader(folder.url, server)
        dripping.idleTimeout = 2
        let error = await failure(dripping)
        guard case .tooSlow(_, let rate, let minimum, let seconds) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(rate < minimum)
        #expect(minimum == 1024)
        #expect(seconds >= 2)
        #expect(error?.isTransient == true)
        let part = folder.url.appendingPathComponent("weights.pth.part")
        let kept = try Data(contentsOf: part)
        #expect(kept.count > 0 && kept.count < 400)
        #expect(kept == data.prefix(kept.count), "the .part holds the bytes received")
        #expect(type(folder.url.appendingPathComponent("weights.pth")) == nil)
    }
}
