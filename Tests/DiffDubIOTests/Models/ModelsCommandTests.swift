import DiffDubIO
import Foundation
import IOTestSupport
import TestSupport
import Testing

/// The `diffdub` executable built beside the test bundle (`swift test` builds it).
private let diffdubExecutable: URL? = {
    let folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    return [folder, folder.deletingLastPathComponent()].map { $0.appendingPathComponent("diffdub") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}()

/// The built `diffdub models` command end to end, against a loopback server.
@Suite(.enabled(if: diffdubExecutable != nil, "the diffdub executable is built beside the tests"))
struct ModelsCommandTests {
    private func run(_ arguments: [String], environment: [String: String]) throws -> (
        status: Int32, out: String, err: String
    ) {
        let process = Process()
        process.executableURL = try #require(diffdubExecutable)
        process.arguments = arguments
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self),
            String(decoding: errData, as: UTF8.self)
        )
    }

    /// stage1 (no pinned size or SHA-256: the payload only has to parse as a checkpoint).
    @Test func downloadStage1ThroughAMirrorThenList() throws {
        let name = "stage1_state_dict.ckpt"
        let data = checkpointPayload(1_500_000, seed: 41)
        var behaviour = LoopbackHTTPServer.Behaviour()
        behaviour.dropAfterBytes = 600_000
        let server = try LoopbackHTTPServer(files: ["/" + name: data], behaviour: behaviour)
        let folder = try TemporaryDirectory()
        let models = folder.url.appendingPathComponent("models")
        let environment = ["HOME": folder.url.path, "PATH": "/usr/bin:/bin"]

        let download = try run(
            ["models", "download", "stage1", "--mirror", server.baseURL.absoluteString, "--to", models.path],
            environment: environment)
        #expect(download.status == 0, "\(download.err)")
        #expect(try SHA256.hexDigest(ofFileAt: models.appendingPathComponent(name)) == SHA256.hexDigest(of: data))
        #expect(try FileManager.default.contentsOfDirectory(atPath: models.path) == [name])
        #expect(download.out.contains("resumed"), "\(download.out)")
        #expect(download.err.contains(name), "progress on stderr: \(download.err)")
        #expect(server.requests.map(\.range) == [nil, "bytes=600000-"])

        let list = try run(["models", "list", "--to", models.path], environment: environment)
        #expect(list.status == 0, "\(list.err)")
        #expect(list.out.contains("present  \(name)  1500000 bytes"), "\(list.out)")
        #expect(list.out.contains("sha256 \(SHA256.hexDigest(of: data))"), "\(list.out)")
        #expect(list.out.contains("missing  stage2_state_dict.ckpt"), "\(list.out)")
        #expect(list.out.contains("missing  chinese-hubert-large/pytorch_model.bin"), "\(list.out)")

        // The default folder is $DIFFDUB_MODELS.
        var withModels = environment
        withModels["DIFFDUB_MODELS"] = models.path
        let listDefault = try run(["models", "list", "stage1", "--no-checksums"], environment: withModels)
        #expect(listDefault.out.hasPrefix("model folder: \(models.path)\n"), "\(listDefault.out)")
        #expect(listDefault.out.contains("present  \(name)"), "\(listDefault.out)")
    }

    /// pipnet pins a SHA-256: a mirror serving other bytes (a valid checkpoint, but not the
    /// released one) fails in one line and leaves nothing.
    @Test func pinnedChecksumRefusesOtherBytes() throws {
        let name = FaceModelFiles.landmarkModelFileName
        let data = checkpointPayload(300_000, seed: 43)
        let server = try LoopbackHTTPServer(files: ["/" + name: data])
        let folder = try TemporaryDirectory()
        let models = folder.url.appendingPathComponent("models")
        let result = try run(
            [
                "models", "download", "pipnet", "--mirror", server.baseURL.absoluteString, "--to", models.path,
                "--quiet",
            ],
            environment: ["HOME": folder.url.path])
        #expect(result.status == 1)
        let expected = try #require(ReleasedModel.pipnet.files[0].sha256)
        #expect(
            result.err
                == "Error: \(models.appendingPathComponent(name).path): SHA-256 \(SHA256.hexDigest(of: data)) "
                + "is not the published \(expected); the download was removed\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: models.path) == [])
    }

    @Test func notFoundIsOneErrorLine() throws {
        let server = try LoopbackHTTPServer(files: [:])
        let folder = try TemporaryDirectory()
        let models = folder.url.appendingPathComponent("models")
        let result = try run(
            [
                "models", "download", "stage2", "--mirror", server.baseURL.absoluteString, "--to", models.path,
                "--quiet",
            ],
            environment: ["HOME": folder.url.path])
        #expect(result.status == 1)
        #expect(result.err == "Error: \(server.baseURL.absoluteString)/stage2_state_dict.ckpt: HTTP 404 (not found)\n")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: models.path)) ?? [] == [])
    }

    @Test func unknownModelIsAUsageError() throws {
        let folder = try TemporaryDirectory()
        let result = try run(
            ["models", "download", "stage3", "--to", folder.url.path], environment: ["HOME": folder.url.path])
        #expect(result.status == 64)
        #expect(result.err.contains("unknown model stage3"), "\(result.err)")
    }
}
