import DiffDubCore
import DiffDubIO
import Foundation
import IOTestSupport
import TestSupport
import Testing

/// `Examples/DubFrames`, the README's "As a library" program: a separate package that depends on
/// this one by path. Built here (a no-op when `.ci/run` or a developer built it already) and run
/// on the pipeline fixture.
@Suite("Examples/DubFrames", .serialized)
struct ExampleDubFramesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let package = root.appendingPathComponent("Examples/DubFrames")

    /// Builds the example (release) and returns its executable. SwiftPM keeps the example's
    /// plan of the root package's sources; when targets or files of the root changed since,
    /// that plan can be stale (missing inputs), so a failed build is retried once in a new
    /// build folder.
    static func executable() throws -> URL {
        do {
            try build()
        } catch is CommandFailure {
            try FileManager.default.removeItem(at: package.appendingPathComponent(".build"))
            try build()
        }
        return package.appendingPathComponent(".build/release/dub-frames")
    }

    private static func build() throws {
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swift", "build", "-c", "release", "--package-path", package.path]
        let log = Pipe()
        build.standardOutput = log
        build.standardError = log
        try build.run()
        let messages = log.fileHandleForReading.readDataToEndOfFile()
        build.waitUntilExit()
        guard build.terminationStatus == 0 else {
            throw CommandFailure(text: "swift build of Examples/DubFrames failed: " + String(decoding: messages, as: UTF8.self))
        }
    }

    struct CommandFailure: Error, CustomStringConvertible { let text: String; var description: String { text } }

    /// Runs `dub-frames` with the fixture's inputs plus `extra`; returns exit status and stderr.
    static func run(output: URL, stage1: URL = Fixtures.url("pipeline/stage1.ckpt"), _ extra: [String] = []) throws
        -> (status: Int32, stderr: String)
    {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = [
            "--stage1", stage1.path, "--stage2", Fixtures.url("pipeline/stage2.ckpt").path,
            "--frames", Fixtures.url("faces/frames").path, "--landmarks", Fixtures.url("faces/landmarks").path,
            "--hubert", Fixtures.url("pipeline/hubert.npy").path, "--noise", Fixtures.url("pipeline/xT.npy").path,
            "--reference-frame", "3", "--steps", "5", "--image-size", "32", "--output", output.path,
        ] + extra
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test("dubs the fixture clip: every frame within 2 of the original's")
    func framesMatchTheOriginal() throws {
        let directory = try TemporaryDirectory()
        let output = directory.url.appendingPathComponent("out")
        let (status, stderr) = try Self.run(output: output)
        #expect(status == 0, "\(stderr)")
        let expected = try Fixtures.array("pipeline/frames_out_uint8.npy")
        let (count, size) = (expected.shape[0], expected.shape[1])
        let names = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(names.count == count)
        for (i, name) in names.enumerated() {
            let frame = try PNGFile.read(output.appendingPathComponent(name))
            let reference = expected.bytes[(i * size * size * 3)..<((i + 1) * size * size * 3)]
            let worst = zip(frame.pixels, reference).map { abs(Int($0) - Int($1)) }.max() ?? 0
            #expect(worst <= 2, "frame \(i) (\(name)) differs by \(worst)")
        }
    }

    @Test("cancelled after two frames: non-zero exit and no output folder")
    func cancellation() throws {
        let directory = try TemporaryDirectory()
        let output = directory.url.appendingPathComponent("out")
        let (status, _) = try Self.run(output: output, ["--cancel-after-frames", "2"])
        #expect(status != 0)
        #expect(!FileManager.default.fileExists(atPath: output.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    @Test("a truncated checkpoint: one line naming the file, not Foundation's generic text")
    func truncatedCheckpoint() throws {
        let directory = try TemporaryDirectory()
        let truncated = directory.url.appendingPathComponent("stage1_truncated.ckpt")
        try Data(try Data(contentsOf: Fixtures.url("pipeline/stage1.ckpt")).prefix(4000)).write(to: truncated)
        let output = directory.url.appendingPathComponent("out")
        let (status, stderr) = try Self.run(output: output, stage1: truncated)
        #expect(status != 0)
        #expect(stderr.contains(truncated.path), "\(stderr)")
        #expect(!stderr.contains("The operation could not be completed"), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
