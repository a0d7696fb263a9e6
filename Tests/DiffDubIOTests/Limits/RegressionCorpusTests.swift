import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// Every file of Tests/DiffDubIOTests/Limits/Regressions/<reader>/ through its reader: it must
/// decode, or fail with an error whose one-line message starts with the file's name. Job folders
/// (`job/`): each case's files laid over a copy of `job/base` must give `status()`, `check()`
/// and `finish --raw` a success or one line naming a file of the job, and no output.
@Suite struct RegressionCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Regressions")

    /// The files of `reader`'s folder; a missing or empty folder fails the test (a corpus that
    /// is not there must not pass as one that is clean).
    static func files(_ reader: String) throws -> [URL] {
        let folder = root.appendingPathComponent(reader)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().filter { !$0.hasPrefix(".") }
        try #require(!names.isEmpty, "\(folder.path): empty regression corpus")
        return names.map { folder.appendingPathComponent($0) }
    }

    /// Runs `read` on each file of `reader`'s folder and checks the outcome.
    private func check(_ reader: String, _ read: (URL, Data) throws -> Void) throws {
        for url in try Self.files(reader) {
            let data = try Data(contentsOf: url)
            do {
                try read(url, data)
            } catch {
                let message = "\(error)"
                #expect(message.hasPrefix(url.path) || message.hasPrefix("memory:" + url.lastPathComponent),
                    "\(url.lastPathComponent): \(message)")
                #expect(!message.contains("\n"), "\(url.lastPathComponent): multi-line message")
            }
        }
    }

    @Test func checkpoints() throws {
        try check("checkpoint") { url, _ in
            let checkpoint = try TorchCheckpoint.open(url)
            for key in checkpoint.stateDict.keys { _ = try checkpoint.stateDict[key]?.load() }
        }
    }

    @Test func pickles() throws {
        try check("pickle") { url, data in
            _ = try data.withUnsafeBytes { try Unpickler.load($0, path: url.path) }
        }
    }

    @Test func safeTensors() throws {
        try check("safetensors") { url, _ in
            let (stateDict, _) = try SafeTensorsFile.open(url)
            for key in stateDict.keys { _ = try stateDict[key]?.load() }
        }
    }

    @Test func numPy() throws {
        try check("npy") { url, _ in _ = try NumPyFile.read(url).tensor() }
    }

    @Test func png() throws {
        try check("png") { url, _ in _ = try PNGFile.read(url) }
    }

    @Test func landmarks() throws {
        try check("landmarks") { url, _ in
            do { _ = try LandmarksFile.readPoints(url) } catch { _ = try LandmarksFile.readTable(url) }
        }
    }

    @Test func audio() throws {
        try check("audio") { url, _ in _ = try AudioFile.read(url) }
    }

    @Test func jobFolders() throws {
        let base = Self.root.appendingPathComponent("job/base")
        let cases = try Self.files("job").filter { $0.lastPathComponent != "base" }
        try #require(JobFolder(base).isPrepared, "\(base.path): no base job")
        let manager = FileManager.default
        // The base itself must pass (after a change of the job format, remake it with
        // Fuzz/make-job-regressions.py): otherwise every case would fail for the same reason.
        do {
            let directory = try TemporaryDirectory()
            let copy = directory.url.appendingPathComponent("job")
            try manager.copyItem(at: base, to: copy)
            #expect(try JobFolder(copy).check().isComplete)
        }
        for tampered in cases {
            let directory = try TemporaryDirectory()
            let job = directory.url.appendingPathComponent("job")
            try manager.copyItem(at: base, to: job)
            // Lay the case's files (links kept as links) over the copy.
            let enumerator = manager.enumerator(atPath: tampered.path)
            while let relative = enumerator?.nextObject() as? String {
                let source = tampered.appendingPathComponent(relative)
                var isFolder: ObjCBool = false
                if manager.fileExists(atPath: source.path, isDirectory: &isFolder), isFolder.boolValue { continue }
                let target = job.appendingPathComponent(relative)
                try? manager.removeItem(at: target)
                try manager.copyItem(at: source, to: target)
            }
            let output = directory.url.appendingPathComponent("out")
            let folder = JobFolder(job)
            let operations: [(String, () throws -> Void)] = [
                ("status", { _ = try folder.status() }), ("check", { _ = try folder.check() }),
                ("finish --raw", { _ = try folder.finishSynchronously(output: .frameFolder(output), raw: true) }),
            ]
            var failures = 0
            for (name, operation) in operations {
                do {
                    try operation()
                    try? manager.removeItem(at: output)
                } catch {
                    failures += 1
                    let message = error.localizedDescription
                    #expect(error is JobError, "\(tampered.lastPathComponent) \(name): \(message)")
                    #expect(message.hasPrefix(job.path + "/"), "\(tampered.lastPathComponent) \(name): \(message)")
                    #expect(!message.contains("\n"), "\(tampered.lastPathComponent) \(name): multi-line message")
                    #expect(!manager.fileExists(atPath: output.path), "\(tampered.lastPathComponent) \(name): output written")
                }
            }
            // Every case of the corpus is a tampering that `check()` at least refuses.
            #expect(failures > 0, "\(tampered.lastPathComponent): accepted")
        }
    }
}
