import DiffDubCore
import DiffDubIO
import Foundation
import IOTestSupport
import TestSupport
import Testing

/// The original's one-shot demo on `Tests/Fixtures/faces` with the small random-weight models
/// of `Tests/Fixtures/pipeline` (reference frame 3, image size 32, 5 DDIM steps, the
/// fixture's noise, model-resolution output).
@Suite("Pipeline parity with the original")
struct PipelineParityTests {
    static let framesFolder = Fixtures.url("faces/frames")
    static let landmarksFolder = Fixtures.url("faces/landmarks")

    static func job(output: URL) -> DubbingRequest {
        DubbingRequest(
            models: .files(
                stage1: Fixtures.url("pipeline/stage1.ckpt"), stage2: Fixtures.url("pipeline/stage2.ckpt"), imageSize: 32),
            frames: .frameFolder(framesFolder), landmarks: .file(landmarksFolder),
            speech: .hubertFeatures(Fixtures.url("pipeline/hubert.npy")), noise: .file(Fixtures.url("pipeline/xT.npy")),
            options: DubbingOptions(referenceMode: .oneShot, referenceFrame: 3, steps: 5, raw: true),
            output: .path(output))
    }

    @Test("reference latent and lip latents within 1e-3")
    func latents() throws {
        let dubber = try Dubber(
            renderer: Renderer(checkpoint: Fixtures.url("pipeline/stage1.ckpt"), imageSize: 32),
            lipPredictor: LipLatentPredictor(checkpoint: Fixtures.url("pipeline/stage2.ckpt")))
        let folder = try FrameFolder(Self.framesFolder)
        let points = try LandmarksFile.readFolder(Self.landmarksFolder, frames: folder.frameNames)
        let reference = FaceFrame(face: try folder.image(at: 3), landmarks: points[3], size: 32)
        let referenceLatent = try dubber.referenceLatents(of: [reference])
        #expect(maxAbsDifference(referenceLatent, try Fixtures.tensor("pipeline/reference_latent.npy")) <= 1e-3)
        let repeated = concat(Array(repeating: referenceLatent, count: 75), axis: 0)
        let lip = try dubber.lipLatents(hubert: try Fixtures.tensor("pipeline/hubert.npy"), referenceLatents: repeated)
        let expected = try Fixtures.tensor("pipeline/lip_latents.npy")
        #expect(maxAbsDifference(lip.reshaped([1] + lip.shape), expected) <= 1e-3)
    }

    @Test("every dubbed frame within 2 per channel, through the CLI's code path")
    func frames() async throws {
        let directory = try TemporaryDirectory()
        let output = directory.url.appendingPathComponent("out")
        let summary = try await Self.job(output: output).run()
        let expected = try Fixtures.array("pipeline/frames_out_uint8.npy")
        let (count, size) = (expected.shape[0], expected.shape[1])
        #expect(summary.renderedFrames == 0..<count)
        let written = try FrameFolder(output)
        #expect(written.count == count)
        for i in 0..<count {
            let frame = try written.image(at: i)
            #expect(frame.height == size && frame.width == size)
            let reference = expected.bytes[(i * size * size * 3)..<((i + 1) * size * size * 3)]
            let worst = zip(frame.pixels, reference).map { abs(Int($0) - Int($1)) }.max() ?? 0
            #expect(worst <= 2, "frame \(i) differs by \(worst)")
        }
    }

    @Test("slices rendered separately join into the frames of one run, bit for bit")
    func frameRangesJoin() async throws {
        let directory = try TemporaryDirectory()
        var whole = Self.job(output: directory.url.appendingPathComponent("whole"))
        whole.options.batchSize = 3
        _ = try await whole.run()
        var slices: [URL] = []
        for (i, range) in [FrameRange(start: 0, end: 4), FrameRange(start: 4, end: 7), FrameRange(start: 7)].enumerated() {
            slices.append(directory.url.appendingPathComponent("slice\(i)"))
            var part = Self.job(output: slices[i])
            part.options.batchSize = 3
            part.options.frameRange = range
            _ = try await part.run()
        }
        let joined = directory.url.appendingPathComponent("joined")
        try FrameOutput.writing(to: joined, audio: nil) { try FrameSlices(folders: slices).write(to: $0) }
        let a = try FrameFolder(directory.url.appendingPathComponent("whole"))
        let b = try FrameFolder(joined)
        #expect(a.frameNames == b.frameNames)
        for i in 0..<a.count {
            #expect(try a.image(at: i) == b.image(at: i), "frame \(i)")
        }
    }

    @Test("a failed run leaves no output behind")
    func failureLeavesNothing() async throws {
        let directory = try TemporaryDirectory()
        let output = directory.url.appendingPathComponent("out")
        var job = Self.job(output: output)
        job.options.steps = 37  // rejected by the original's respacing
        await #expect(throws: DiffusionError.self) { try await job.run() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }
}
