import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// The command builds its reader limits from the environment and hands them to every file it
/// reads (the library has no process-wide limits of its own): the same frames are refused by
/// `diffdub join` under a `DIFFDUB_MAX_IMAGE_PIXELS` below their size and joined without it.
@Suite("Reader limits: the command line", .enabled(if: DiffDubExecutable.url != nil))
struct ReaderLimitsCommandTests {
    @Test func theEnvironmentsLimitsReachTheReaders() throws {
        let folder = try TemporaryDirectory()
        let part = folder.url.appendingPathComponent("part")
        try FileManager.default.createDirectory(at: part, withIntermediateDirectories: true)
        for index in 0..<2 {
            try PNGFile.write(
                RGBImage(height: 4, width: 4, red: 9), to: part.appendingPathComponent(String(format: "%06d.png", index)))
        }
        let refusedOutput = folder.url.appendingPathComponent("refused")
        let refused = try DiffDubExecutable.run(
            ["join", part.path, "--output", refusedOutput.path, "--quiet"], environment: ["DIFFDUB_MAX_IMAGE_PIXELS": "15"])
        #expect(refused.status == 1, "\(refused.standardError)")
        #expect(refused.standardError.contains("exceeds the limit of 15 pixels"), "\(refused.standardError)")
        #expect(!FileManager.default.fileExists(atPath: refusedOutput.path))
        let joinedOutput = folder.url.appendingPathComponent("joined")
        let joined = try DiffDubExecutable.run(["join", part.path, "--output", joinedOutput.path, "--quiet"])
        #expect(joined.status == 0, "\(joined.standardError)")
        #expect(try FrameFolder(joinedOutput).count == 2)
    }
}
