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

    /// Videos whose timing or bytes once made a dub run for ever or dub garbage silently
    /// (issue 29): the timing pass reads them, and the limits refuse them in one line naming
    /// the file, or they pass.
    @Test func videos() throws {
        try check("video") { url, _ in
            let timing = try VideoProbe.timing(url)
            try ClipTimingLimits.standard.check(timing, input: url.path, rate: .model, followsSource: false)
        }
        #expect(try Self.files("video").count >= 3)
    }

    /// Option values that once trapped (issue 29), one `NAME VALUE` per line: each must be
    /// refused with a one-line error naming the option.
    @Test func options() throws {
        for url in try Self.files("options") {
            let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
                .filter { !$0.hasPrefix("#") && !$0.isEmpty }
            #expect(!lines.isEmpty)
            for line in lines {
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                let (name, value) = (parts[0], parts.count > 1 ? parts[1] : "")
                let message = Self.refusal(name: name, value: value)
                #expect(message?.contains(name) == true, "\(line): \(message ?? "accepted")")
                #expect(message.map { !$0.contains("\n") } ?? false)
            }
        }
    }

    /// The one-line refusal of option `name` set to `value` (parsed as the command line does), or
    /// `nil` when it is accepted.
    static func refusal(name: String, value: String) -> String? {
        var options = DubbingOptions()
        var tracking = FaceTrackingOptions()
        switch name {
        case "frameRange":
            guard let range = FrameRange(parsing: value) else { return "frameRange \(value): not START:END" }
            options.frameRange = range
        case "faceRegion":
            guard let region = FaceRegion(parsing: value) else { return "faceRegion \(value): not X,Y,SIZE in range" }
            options.faceRegion = region
        case "expandRatio", "faceJump":
            guard let number = Double(value) else { return "\(name) \(value): not a number" }
            if name == "expandRatio" { tracking.expandRatio = number } else { tracking.faceJump = number }
        default:
            guard let number = Int(value) else { return "\(name) \(value): not an integer" }
            switch name {
            case "referenceFrame": options.referenceFrame = number
            case "referenceCount": options.referenceCount = number
            case "steps": options.steps = number
            case "batchSize": options.batchSize = number
            case "smoothingRadius": tracking.smoothingRadius = number
            case "regionSmoothingRadius": tracking.regionSmoothingRadius = number
            case "detectEvery": tracking.detectEvery = number
            case "maximumGap": tracking.maximumGap = number
            case "choice": tracking.choice = .index(number)
            default: return nil
            }
        }
        do {
            try options.validate()
            try tracking.validate()
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Job folders that once trapped or hung `job status | run | finish` (issue 26): each
    /// tampering of the corpus, laid over a copy of its base job, ends in one line naming a
    /// file of the job, with no output.
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
