import DiffDubCore
import DiffDubIO
import Foundation
import Testing

/// Every file of Tests/DiffDubIOTests/Limits/Regressions/<reader>/ through its reader: it must
/// decode, or fail with an error whose one-line message starts with the file's name.
@Suite struct RegressionCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Regressions")

    static func files(_ reader: String) -> [URL] {
        let folder = root.appendingPathComponent(reader)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") }.map { folder.appendingPathComponent($0) }
    }

    /// Runs `read` on each file of `reader`'s folder and checks the outcome.
    private func check(_ reader: String, _ read: (URL, Data) throws -> Void) throws {
        for url in Self.files(reader) {
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
}
