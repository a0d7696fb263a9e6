import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// A request's output path under ``OutputGuard``: its inputs are protected, refusals come
/// before any model runs, and `overwrite` is carried (and saved) with the request.
@Suite("Dubbing requests: what the output may replace")
struct DubbingRequestOutputTests {
    /// The pipeline fixture request reading a copy of the fixture frames and landmarks in
    /// `folder` (so that a wrong refusal could never touch the fixtures), writing `output`.
    static func request(in folder: URL, output: URL) throws -> DubbingRequest {
        let inputs = folder.appendingPathComponent("clip")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        let frames = inputs.appendingPathComponent("frames")
        let landmarks = inputs.appendingPathComponent("landmarks")
        if !FileManager.default.fileExists(atPath: frames.path) {
            try FileManager.default.copyItem(at: PipelineParityTests.framesFolder, to: frames)
            try FileManager.default.copyItem(at: PipelineParityTests.landmarksFolder, to: landmarks)
        }
        var request = PipelineParityTests.job(output: output)
        request.frames = .frameFolder(frames)
        request.landmarks = .file(landmarks)
        request.options.steps = 2
        request.options.frameRange = FrameRange(start: 0, end: 1)
        return request
    }

    /// Holds whether any progress was reported.
    final class Reported: @unchecked Sendable {
        private let lock = NSLock()
        private var stages: [ProgressStage] = []
        func append(_ stage: ProgressStage) { lock.withLock { stages.append(stage) } }
        var all: [ProgressStage] { lock.withLock { stages } }
    }

    @Test("an input, a folder holding one, a path inside one: refused before any model runs, nothing touched")
    func inputsAreProtected() async throws {
        let directory = try TemporaryDirectory()
        let root = URL(fileURLWithPath: OutputGuard.resolved(directory.url.path))
        let clip = root.appendingPathComponent("clip")
        let frames = clip.appendingPathComponent("frames")
        var request = try Self.request(in: root, output: root.appendingPathComponent("out"))
        let before = try FileTreeSnapshot(root)
        let cases: [(URL, OutputRefusal)] = [
            (frames, .isProtected(path: frames.path, role: "frame folder")),
            (clip, .holdsProtected(path: clip.path, role: "frame folder", protected: frames.path)),
            (
                frames.appendingPathComponent("dubbed"),
                .insideProtected(path: frames.path + "/dubbed", role: "frame folder", protected: frames.path)
            ),
            (
                clip.appendingPathComponent("landmarks/000000.txt"),
                .insideProtected(path: clip.path + "/landmarks/000000.txt", role: "landmarks", protected: clip.path + "/landmarks")
            ),
        ]
        for (output, refusal) in cases {
            for overwrite in [false, true] {
                request.output = .path(output)
                request.overwrite = overwrite
                let reported = Reported()
                await #expect(throws: refusal) { try await request.run { reported.append($0.stage); return .proceed } }
                #expect(reported.all.isEmpty, "progress was reported before the refusal: \(reported.all)")
            }
        }
        #expect(try FileTreeSnapshot(root) == before)
        #expect(request.inputPaths.map(\.role) == [
            "stage-1 checkpoint", "stage-2 checkpoint", "frame folder", "landmarks", "Hubert features", "noise",
        ])
    }

    @Test("an existing video file is refused without overwrite and replaced with it")
    func existingFile() async throws {
        let directory = try TemporaryDirectory()
        let root = URL(fileURLWithPath: OutputGuard.resolved(directory.url.path))
        let output = root.appendingPathComponent("out")
        try Data("an earlier run".utf8).write(to: output)
        var request = try Self.request(in: root, output: output)
        request.output = .frameFolder(output)
        await #expect(throws: OutputRefusal.existingFile(path: output.path)) { try await request.run() }
        #expect(try Data(contentsOf: output) == Data("an earlier run".utf8))
        request.overwrite = true
        _ = try await request.run()
        #expect(try FrameFolder(output).frameNames == ["000000"])
        #expect(OutputGuard.isMarkedOutput(output))
    }

    @Test("overwrite is saved with the request only when set")
    func codable() throws {
        var request = PipelineParityTests.job(output: URL(fileURLWithPath: "/tmp/out.mp4"))
        let encoder = JSONEncoder()
        let plain = try encoder.encode(request)
        #expect(!String(decoding: plain, as: UTF8.self).contains("overwrite"))
        #expect(try JSONDecoder().decode(DubbingRequest.self, from: plain).overwrite == false)
        request.overwrite = true
        let json = try encoder.encode(request)
        #expect(try JSONDecoder().decode(DubbingRequest.self, from: json).overwrite == true)
    }
}
