import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// The file sinks under ``OutputGuard``: what they refuse leaves the destination byte for
/// byte as it was; the folders they write are marked and replaced only when asked.
@Suite("Frame sinks: what an output may replace")
struct FrameSinkOutputTests {
    static let frame = RGBImage(height: 4, width: 4, red: 9)

    /// A temporary folder named with its links resolved (macOS's is under one), as refusals name it.
    struct Resolved {
        let url: URL
        init(_ folder: TemporaryDirectory) { url = URL(fileURLWithPath: OutputGuard.resolved(folder.url.path)) }
    }

    /// Writes `indices` through a PNG sink into `url`.
    static func writeFrames(_ indices: [Int], to url: URL, overwrite: Bool = false) throws {
        try FrameOutput.writing(to: url, audio: nil, outputGuard: OutputGuard(overwrite: overwrite)) { sink in
            for index in indices { try sink.write(frame, index: index) }
        }
    }

    @Test("a frame folder is marked; written again it is refused, and replaced as a whole with overwrite")
    func markedFolder() throws {
        let folder = try TemporaryDirectory()
        let directory = Resolved(folder)
        let output = directory.url.appendingPathComponent("frames")
        try Self.writeFrames([4, 5], to: output)
        #expect(OutputGuard.isMarkedOutput(output))
        #expect(try FrameFolder(output).frameNames == ["000004", "000005"])
        let first = try FileTreeSnapshot(output)

        #expect(throws: OutputRefusal.existingOutput(path: output.path)) { try Self.writeFrames([0], to: output) }
        #expect(try FileTreeSnapshot(output) == first)

        try Self.writeFrames([0], to: output, overwrite: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        #expect(names == [OutputGuard.markerName, "000000.png"])
        // Nothing but the output is left in the folder (no staging, no old copy).
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["frames"])
    }

    @Test("a folder of the user's and an existing file are refused, untouched; an empty folder is filled")
    func refusals() throws {
        let folder = try TemporaryDirectory()
        let directory = Resolved(folder)
        let photos = directory.url.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        try Data("holiday".utf8).write(to: photos.appendingPathComponent("000000.png"))
        let file = directory.url.appendingPathComponent("dubbed.mp4")
        try Data("an earlier video".utf8).write(to: file)
        let before = try FileTreeSnapshot(directory.url)

        for overwrite in [false, true] {
            #expect(throws: OutputRefusal.foreignFolder(path: photos.path)) {
                try PNGFolderSink(photos, outputGuard: OutputGuard(overwrite: overwrite))
            }
        }
        #expect(throws: OutputRefusal.existingFile(path: file.path)) { try VideoFileSink(file, audio: nil) }
        #expect(throws: OutputRefusal.existingFile(path: file.path)) {
            try FrameOutput.writing(to: file, audio: nil) { _ in Issue.record("the body ran") }
        }
        let input = OutputGuard.ProtectedPath(role: "frame folder", url: photos)
        #expect(throws: OutputRefusal.insideProtected(path: photos.path + "/out", role: "frame folder", protected: photos.path)) {
            try PNGFolderSink(photos.appendingPathComponent("out"), outputGuard: OutputGuard(protecting: [input], overwrite: true))
        }
        #expect(try FileTreeSnapshot(directory.url) == before)

        let empty = directory.url.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try Self.writeFrames([0], to: empty)
        #expect(try FrameFolder(empty).frameNames == ["000000"])
    }

    @Test("a folder that appears at the destination during the run is not replaced")
    func destinationChangedDuringTheRun() throws {
        let folder = try TemporaryDirectory()
        let directory = Resolved(folder)
        let output = directory.url.appendingPathComponent("frames")
        #expect(throws: OutputRefusal.foreignFolder(path: output.path)) {
            try FrameOutput.writing(to: output, audio: nil, outputGuard: OutputGuard(overwrite: true)) { sink in
                try sink.write(Self.frame, index: 0)
                try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
                try Data("mine".utf8).write(to: output.appendingPathComponent("notes.txt"))
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == ["notes.txt"])
        // The staging folder was discarded.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["frames"])
    }
}
