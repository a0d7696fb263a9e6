import DiffDubIO
import Foundation
import IOTestSupport
import TestSupport
import Testing

/// `ModelDownloader` against a loopback HTTP server (`LoopbackHTTPServer`): resume, dropped
/// connections, servers that ignore ranges, redirects, errors. (Hostile servers and model
/// folders: `HostileDownloadTests`.)
@Suite struct ModelDownloadTests {
    /// PIPNet's place in the model folder without its pinned SHA-256 (the payloads are
    /// generated checkpoints, not the released weights).
    private let pipnet = ModelFile(
        relativePath: FaceModelFiles.landmarkModelFileName, url: ReleasedModel.pipnet.files[0].url)

    /// A valid checkpoint of `count` bytes whose bytes differ at every offset of its data.
    private func payload(_ count: Int, seed: UInt64 = 1) -> Data {
        checkpointPayload(count, seed: seed)
    }

    private func downloader(_ folder: URL, _ server: LoopbackHTTPServer, base: String = "") -> ModelDownloader {
        var downloader = ModelDownloader(
            store: ModelStore(folder: folder), mirror: URL(string: server.baseURL.absoluteString + base))
        downloader.retryDelay = 0
        downloader.idleTimeout = 60
        return downloader
    }

    private func contents(of folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func downloadsThroughAMirrorAndReportsProgress() async throws {
        let data = payload(3_000_000)
        let server = try LoopbackHTTPServer(files: ["/" + pipnet.fileName: data])
        let folder = try TemporaryDirectory()
        let reports = Reports()
        let results = try await downloader(folder.url, server).download([pipnet], progress: { reports.add($0) })

        #expect(results.map(\.outcome) == [.downloaded])
        let target = folder.url.appendingPathComponent(pipnet.fileName)
        #expect(try SHA256.hexDigest(ofFileAt: target) == SHA256.hexDigest(of: data))
        #expect(try contents(of: folder.url) == [pipnet.fileName], "no .part left")
        let last = try #require(reports.all.last)
        #expect(last.isFinished)
        #expect(last.bytesReceived == Int64(data.count))
        #expect(last.totalBytes == Int64(data.count))
        #expect(server.requests.map(\.range) == [nil])

        // A second run finds the file and fetches nothing.
        let again = try await downloader(folder.url, server).download([pipnet])
        #expect(again.map(\.outcome) == [.alreadyPresent])
        #expect(server.requests.count == 1)
    }

    @Test func droppedConnectionsAreResumedWithRanges() async throws {
        let data = payload(2_500_000, seed: 7)
        var behaviour = LoopbackHTTPServer.Behaviour()
        behaviour.dropAfterBytes = 1_000_000
        behaviour.dropCount = 2
        let server = try LoopbackHTTPServer(files: ["/" + pipnet.fileName: data], behaviour: behaviour)
        let folder = try TemporaryDirectory()
        let results = try await downloader(folder.url, server).download([pipnet])

        #expect(results.map(\.outcome) == [.resumed(attempts: 3)])
        #expect(
            try SHA256.hexDigest(ofFileAt: folder.url.appendingPathComponent(pipnet.fileName))
                == SHA256.hexDigest(of: data))
        #expect(server.requests.map(\.range) == [nil, "bytes=1000000-", "bytes=2000000-"])
        #expect(server.requests.map(\.status) == [200, 206, 206])
        #expect(try contents(of: folder.url) == [pipnet.fileName])
    }

    /// A run that dies mid-file (no retries: the dropped connection ends it) leaves only the
    /// `.part`; the next run resumes it and the result is the source, byte for byte.
    @Test func interruptedRunLeavesThePartAndTheRerunFinishes() async throws {
        let data = payload(2_000_000, seed: 3)
        var behaviour = LoopbackHTTPServer.Behaviour()
        behaviour.dropAfterBytes = 1_500_000
        let server = try LoopbackHTTPServer(files: ["/" + pipnet.fileName: data], behaviour: behaviour)
        let folder = try TemporaryDirectory()
        var first = downloader(folder.url, server)
        first.retries = 0
        do {
            _ = try await first.download([pipnet])
            Issue.record("a dropped connection without retries must fail")
        } catch let error as ModelDownloadError {
            #expect(error.isTransient)
            let line = error.localizedDescription
            #expect(line.contains("\(server.baseURL.absoluteString)/\(pipnet.fileName)"), "\(line)")
            #expect(!(line.contains("\n")))
        }
        let part = pipnet.fileName + ".part"
        #expect(try contents(of: folder.url) == [part])
        let partSize = try FileManager.default.attributesOfItem(atPath: folder.url.appendingPathComponent(part).path)[
            .size]
        #expect((partSize as? NSNumber)?.intValue == 1_500_000)

        let status = try ModelStore(folder: folder.url).status(of: .pipnet)
        #expect(status.first?.isPresent == false)
        #expect(status.first?.partialSize == 1_500_000)

        let results = try await downloader(folder.url, server).download([pipnet])
        #expect(results.map(\.outcome) == [.resumed(attempts: 1)])
        #expect(server.requests.last?.range == "bytes=1500000-")
        #expect(
            try SHA256.hexDigest(ofFileAt: folder.url.appendingPathComponent(pipnet.fileName))
                == SHA256.hexDigest(of: data))
        #expect(try contents(of: folder.url) == [pipnet.fileName])
    }

    /// A server that ignores `Range` answers 200: the partial file is rewritten from byte 0.
    @Test func serverIgnoringRangesRestartsCleanly() async throws {
        let data = payload(1_200_000, seed: 5)
        var behaviour = LoopbackHTTPServer.Behaviour()
        behaviour.ignoresRange = true
        let server = try LoopbackHTTPServer(files: ["/" + pipnet.fileName: data], behaviour: behaviour)
        let folder = try TemporaryDirectory()
        // A stale partial file, longer than half and with other bytes.
        try payload(900_000, seed: 99).write(to: folder.url.appendingPathComponent(pipnet.fileName + ".part"))
        let results = try await downloader(folder.url, server).download([pipnet])

        #expect(results.map(\.outcome) == [.downloaded])
        #expect(server.requests.map(\.range) == ["bytes=900000-"])
        #expect(server.requests.map(\.status) == [200])
        #expect(
            try SHA256.hexDigest(ofFileAt: folder.url.appendingPathComponent(pipnet.fileName))
                == SHA256.hexDigest(of: data))
    }

    /// Hugging Face and GitHub redirect to their storage: the `Range` survives the redirect.
    @Test func resumeFollowsRedirects() async throws {
        let data = payload(1_000_000, seed: 11)
        let server = try LoopbackHTTPServer(files: ["/" + pipnet.fileName: data])
        let folder = try TemporaryDirectory()
        try data.prefix(400_000).write(to: folder.url.appendingPathComponent(pipnet.fileName + ".part"))
        let results = try await downloader(folder.url, server, base: "/redirect").download([pipnet])

        #expect(results.map(\.outcome) == [.resumed(attempts: 1)])
        #expect(server.requests.map(\.status) == [302, 206])
        #expect(server.requests.map(\.range) == ["bytes=400000-", "bytes=400000-"])
        #expect(
            try SHA256.hexDigest(ofFileAt: folder.url.appendingPathComponent(pipnet.fileName))
                == SHA256.hexDigest(of: data))
    }

    /// A `.part` that already holds the whole file gets a 416 and is completed without a body.
    @Test func completePartialFileIsCommitted() async throws {
        let data = payload(300_000, seed: 13)
        let server = try LoopbackHTTPServer(files: ["/" + pipnet.fileName: data])
        let folder = try TemporaryDirectory()
        try data.write(to: folder.url.appendingPathComponent(pipnet.fileName + ".part"))
        let results = try await downloader(folder.url, server).download([pipnet])

        #expect(results.map(\.outcome) == [.resumed(attempts: 1)])
        #expect(server.requests.map(\.status) == [416])
        #expect(try contents(of: folder.url) == [pipnet.fileName])
        #expect(
            try SHA256.hexDigest(ofFileAt: folder.url.appendingPathComponent(pipnet.fileName))
                == SHA256.hexDigest(of: data))
    }

    /// A `.part` longer than the server's file (another version) gets a 416 with another size:
    /// it is removed and the file fetched whole.
    @Test func partialFileLongerThanTheSourceStartsOver() async throws {
        let data = payload(300_000, seed: 23)
        let server = try LoopbackHTTPServer(files: ["/" + pipnet.fileName: data])
        let folder = try TemporaryDirectory()
        try payload(400_000, seed: 29).write(to: folder.url.appendingPathComponent(pipnet.fileName + ".part"))
        let results = try await downloader(folder.url, server).download([pipnet])

        #expect(results.map(\.outcome) == [.downloaded])
        #expect(server.requests.map(\.status) == [416, 200])
        #expect(server.requests.map(\.range) == ["bytes=400000-", nil])
        #expect(
            try SHA256.hexDigest(ofFileAt: folder.url.appendingPathComponent(pipnet.fileName))
                == SHA256.hexDigest(of: data))
    }

    /// Cancelling the task (what Ctrl-C does) stops the transfer and keeps the `.part`.
    @Test func cancellationKeepsThePartialFile() async throws {
        let data = payload(1_000_000, seed: 31)
        var behaviour = LoopbackHTTPServer.Behaviour()
        behaviour.stallAfterBytes = 250_000
        let server = try LoopbackHTTPServer(files: ["/" + pipnet.fileName: data], behaviour: behaviour)
        let folder = try TemporaryDirectory()
        var downloader = downloader(folder.url, server)
        downloader.idleTimeout = 120  // the stall must last until the cancellation, however busy the machine
        let part = folder.url.appendingPathComponent(pipnet.fileName + ".part")
        let task = Task { [downloader] in try await downloader.download([pipnet]) }
        defer { task.cancel() }  // also when a #require below fails
        // A full `swift test -c release` on a loaded 2-core machine once left the download task
        // unscheduled for over 120 s (the model tests hold the cooperative threads): wait up to
        // 600 s; the loop ends as soon as the bytes are there.
        let deadline = Date().addingTimeInterval(600)
        func partSize() -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: part.path)[.size]) as? NSNumber)?.intValue ?? 0
        }
        while partSize() < 250_000, Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        try #require(partSize() >= 250_000, "the first 250000 bytes did not arrive within 600 s")
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("a cancelled download must throw")
        } catch is CancellationError {
        }
        #expect(try contents(of: folder.url) == [pipnet.fileName + ".part"])
        let kept = try Data(contentsOf: part)
        #expect(kept.count == 250_000)
        #expect(kept == data.prefix(250_000))
    }

    @Test func notFoundIsOneLineAndLeavesNoFile() async throws {
        let server = try LoopbackHTTPServer(files: [:])
        let folder = try TemporaryDirectory()
        do {
            _ = try await downloader(folder.url, server).download([pipnet])
            Issue.record("a 404 must fail")
        } catch let error as ModelDownloadError {
            let url = "\(server.baseURL.absoluteString)/\(pipnet.fileName)"
            #expect(error == .httpStatus(url: url, status: 404))
            #expect(error.localizedDescription == "\(url): HTTP 404 (not found)")
        }
        #expect(server.requests.count == 1, "a 404 is not retried")
        #expect(try contents(of: folder.url) == [])
    }

    @Test func refusedConnectionNamesTheURL() async throws {
        let server = try LoopbackHTTPServer(files: [:])
        let folder = try TemporaryDirectory()
        var downloader = downloader(folder.url, server)
        server.stop()
        downloader.retries = 1
        do {
            _ = try await downloader.download([pipnet])
            Issue.record("a refused connection must fail")
        } catch let error as ModelDownloadError {
            guard case .network(let url, let reason) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(url == "\(server.baseURL.absoluteString)/\(pipnet.fileName)")
            #expect(!(reason.isEmpty))
            #expect(!(error.localizedDescription.contains("\n")))
        }
        #expect(try contents(of: folder.url) == [])
    }

    @Test func checksumMismatchRemovesTheDownload() async throws {
        let data = payload(10_000, seed: 17)
        let server = try LoopbackHTTPServer(files: ["/x.bin": data])
        let folder = try TemporaryDirectory()
        let wrong = String(repeating: "0", count: 64)
        let file = ModelFile(relativePath: "x.bin", url: URL(string: "https://example.invalid/x.bin")!, sha256: wrong)
        do {
            _ = try await downloader(folder.url, server).download(file)
            Issue.record("a wrong checksum must fail")
        } catch let error as ModelDownloadError {
            guard case .checksumMismatch(_, let expected, let actual) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(expected == wrong)
            #expect(actual == SHA256.hexDigest(of: data))
        }
        #expect(try contents(of: folder.url) == [])

        let right = ModelFile(relativePath: "x.bin", url: file.url, sha256: SHA256.hexDigest(of: data).uppercased())
        let result = try await downloader(folder.url, server).download(right)
        #expect(result.outcome == .downloaded)
    }

    /// The Hubert files go in `chinese-hubert-large/`, and `locate` finds the folder through
    /// `$DIFFDUB_MODELS`.
    @Test func hubertFolderAndLocate() async throws {
        let config = Data("{\"hidden_size\": 1024}".utf8)
        let weights = payload(200_000, seed: 19)  // a valid checkpoint: each file must parse as its kind
        let server = try LoopbackHTTPServer(files: ["/config.json": config, "/pytorch_model.bin": weights])
        let folder = try TemporaryDirectory()
        let environment = ["DIFFDUB_MODELS": folder.url.path, "HOME": folder.url.appendingPathComponent("home").path]
        #expect(ModelStore.locate(.hubert, in: FaceModelFiles.searchFolders(environment: environment)) == nil)

        let results = try await downloader(folder.url, server).download([.hubert])
        #expect(
            results.map(\.url.path)
                == ["config.json", "pytorch_model.bin"].map {
                    folder.url.appendingPathComponent("chinese-hubert-large/\($0)").path
                })
        #expect(
            ModelStore.locate(.hubert, in: FaceModelFiles.searchFolders(environment: environment))?.path
                == folder.url.appendingPathComponent("chinese-hubert-large").path)
        #expect(ModelStore.locate(.stage1, in: FaceModelFiles.searchFolders(environment: environment)) == nil)
        #expect(ModelStore.defaultFolder(environment: environment).path == folder.url.path)

        let status = try ModelStore(folder: folder.url).status(of: .hubert)
        #expect(status.map(\.isPresent) == [true, true])
        #expect(status.map(\.size) == [Int64(config.count), Int64(weights.count)])
        #expect(status.map(\.sha256) == [SHA256.hexDigest(of: config), SHA256.hexDigest(of: weights)])
    }

    @Test func catalogue() {
        #expect(
            ReleasedModel.stage1.files.map(\.url.absoluteString) == [
                "https://huggingface.co/taocode/diffdub/resolve/main/assets/checkpoints/stage1_state_dict.ckpt"
            ])
        #expect(ReleasedModel.stage2.files.map(\.relativePath) == ["stage2_state_dict.ckpt"])
        #expect(
            ReleasedModel.hubert.files.map(\.url.absoluteString) == [
                "https://huggingface.co/TencentGameMate/chinese-hubert-large/resolve/main/config.json",
                "https://huggingface.co/TencentGameMate/chinese-hubert-large/resolve/main/pytorch_model.bin",
            ])
        #expect(ReleasedModel.pipnet.files.map(\.url.absoluteString) == [FaceModelFiles.landmarkModelURL])
        #expect(ReleasedModel.pipnet.entryPath == FaceModelFiles.landmarkModelFileName)
        #expect(ReleasedModel.hubert.entryPath == "chinese-hubert-large")
        #expect(
            ReleasedModel.syncnet.files.map(\.url.absoluteString) == [
                "https://www.robots.ox.ac.uk/~vgg/software/lipsync/data/syncnet_v2.model"
            ])
        #expect(ReleasedModel.syncnet.entryPath == "syncnet_v2.model")
        #expect(ReleasedModel.hubert.files.map(\.kind) == [.jsonObject, .checkpoint])
        #expect(ReleasedModel.pipnet.files[0].sha256 != nil, "the pipnet entry pins a SHA-256")
        #expect(ReleasedModel.syncnet.files[0].sha256 != nil, "the syncnet entry pins a SHA-256")
        #expect(ReleasedModel.syncnet.files[0].size == 54_573_114, "the syncnet entry pins its size")
        #expect(ReleasedModel.allCases.flatMap(\.files).filter { $0.relativePath.hasSuffix("config.json") }.count == 1)
        for file in ReleasedModel.allCases.flatMap(\.files) {
            if let sha256 = file.sha256 {
                #expect(sha256.count == 64 && sha256.allSatisfy(\.isHexDigit), "\(file.relativePath)")
            }
            if let size = file.size { #expect(size > 0) }
        }
        let mirror = ModelDownloader(
            store: ModelStore(folder: URL(fileURLWithPath: "/m")), mirror: URL(string: "http://h/base"))
        #expect(
            mirror.sourceURL(for: ReleasedModel.hubert.files[1]).absoluteString == "http://h/base/pytorch_model.bin")
    }
}

extension ModelDownloader {
    /// Downloads `files` in order (the catalogue's models hold pinned checksums; tests use
    /// entries of their own).
    fileprivate func download(_ files: [ModelFile]) async throws -> [DownloadResult] {
        var results: [DownloadResult] = []
        for file in files { results.append(try await download(file)) }
        return results
    }

    fileprivate func download(_ files: [ModelFile], progress: @escaping DownloadProgressHandler) async throws
        -> [DownloadResult]
    {
        var results: [DownloadResult] = []
        for file in files { results.append(try await download(file, progress: progress)) }
        return results
    }
}

/// Collects progress reports from the delegate queue.
private final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [DownloadProgress] = []
    func add(_ report: DownloadProgress) { lock.withLock { reports.append(report) } }
    var all: [DownloadProgress] { lock.withLock { reports } }
}
