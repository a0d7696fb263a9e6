import DiffDubCore
import DiffDubIO
import Foundation
import IOTestSupport
import TestSupport
import Testing

/// The per-frame face track on clips made with ffmpeg from the detector's input pictures, with
/// the real FaceBoxesV2 weights and the fixture PIPNet.
@Suite("Face tracks")
struct FaceTrackerTests {
    static var ffmpegAvailable: Bool { FFmpeg.isAvailable }

    static func analyzer() throws -> FaceAnalyzer {
        try FaceModelFiles.analyzer(
            detector: Fixtures.url("detector/faceboxesv2.pth"), landmarkModel: Fixtures.url("pipnet/pipnet.pth"))
    }

    static func ffmpeg(_ arguments: [String]) throws { try FFmpeg.run(arguments) }

    /// 36 frames of 640 x 360 at 25 fps: `portrait.png` at 300 x 300 panning right 4 px a frame
    /// (frames 0-19), then a cut to a closer shot (480 x 480) panning left 3 px a frame.
    static func panAndCut(in directory: URL) throws -> URL {
        let video = directory.appendingPathComponent("pan_cut.mp4")
        try ffmpeg([
            "-f", "lavfi", "-i", "color=c=0x707070:s=640x360:r=25", "-loop", "1", "-framerate", "25", "-i",
            Fixtures.url("detector/inputs/portrait.png").path, "-filter_complex",
            "[1:v]split[a][b];[a]scale=300:300[s];[b]scale=480:480[z];"
                + "[0:v][s]overlay=x='40+4*n':y=30:enable='lt(n,20)'[v1];"
                + "[v1][z]overlay=x='80-3*(n-20)':y=-15:enable='gte(n,20)'",
            "-frames:v", "36", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-crf", "18", video.path,
        ])
        return video
    }

    @Test("a pan, a cut to a closer shot: the crop follows the face, the cut is found, no jitter",
        .enabled(if: ffmpegAvailable))
    func panAndCut() throws {
        let directory = try TemporaryDirectory()
        let source = try VideoFileSource(try Self.panAndCut(in: directory.url))
        let reports = ReportLog()
        let track = try FaceTracker(analyzer: try Self.analyzer()).track(source, progress: { reports.add($0); return .proceed })
        #expect(track.frameCount == 36)
        #expect(!track.isStill)
        #expect(track.frameHeight == 360 && track.frameWidth == 640)
        #expect(track.shots == [Shot(frames: 0..<20, boundary: .clipStart), Shot(frames: 20..<36, boundary: .cut)])
        #expect(track.shotStarts == [20])
        #expect(track.framesWithoutFace.isEmpty)
        #expect(reports.stages.contains(.faceDetection) && reports.stages.contains(.faceLandmarks))

        for i in 0..<36 {
            let frame = track.frames[i]
            let box = try #require(frame.box, "frame \(i) has a detected face")
            let region = try #require(track.region(forFrame: i))
            #expect(track.landmarks(forFrame: i) != nil)
            #expect(region.fits(height: 360, width: 640))
            // The crop is centred on the detected face within a few pixels...
            let centre = SIMD2(Float(region.x) + Float(region.size) / 2, Float(region.y) + Float(region.size) / 2)
            let offset = centre - box.center
            #expect(abs(offset.x) <= 4 && abs(offset.y) <= 4, "frame \(i): crop centre \(centre), face \(box.center)")
            // ... and sized as the original's expansion of the box.
            let expected = Float(1.6) * max(box.width, box.height)
            #expect(abs(Float(region.size) - expected) <= 0.08 * expected, "frame \(i): side \(region.size), box \(box)")
        }
        // Within a shot the crop moves with the pan and no more.
        for (shot, speed) in zip(track.shots, [Float(4), 3]) {
            for i in shot.frames.dropFirst() {
                let (a, b) = (try #require(track.region(forFrame: i - 1)), try #require(track.region(forFrame: i)))
                #expect(abs(Float(b.x - a.x + (b.size - a.size) / 2)) <= speed + 2, "frame \(i): x \(a.x) -> \(b.x)")
                #expect(abs(b.y - a.y) <= 2, "frame \(i): y \(a.y) -> \(b.y)")
                #expect(abs(b.size - a.size) <= 2, "frame \(i): side \(a.size) -> \(b.size)")
            }
        }
        // The closer shot has the bigger crop; the cut is not smoothed over.
        let before = try #require(track.region(forFrame: 19))
        let after = try #require(track.region(forFrame: 20))
        #expect(Float(after.size) > 1.4 * Float(before.size))
        // The dubber's inputs.
        guard case .perFrame(let regions) = track.regions else {
            Issue.record("expected per-frame regions")
            return
        }
        #expect(regions.count == 36 && regions[20] == after)
        #expect(track.landmarkTrack.count == 36)
    }

    @Test("a shaking camera: the crop follows the steady motion, not the shake", .enabled(if: ffmpegAvailable))
    func shake() throws {
        let directory = try TemporaryDirectory()
        let video = directory.url.appendingPathComponent("shake.mp4")
        // Panning 4 px a frame with a +-4 px horizontal shake: the face moves +12, -4, +12, ...
        try Self.ffmpeg([
            "-f", "lavfi", "-i", "color=c=0x707070:s=640x360:r=25", "-loop", "1", "-framerate", "25", "-i",
            Fixtures.url("detector/inputs/portrait.png").path, "-filter_complex",
            "[1:v]scale=300:300[s];[0:v][s]overlay=x='60+4*n+4*(1-2*mod(n,2))':y=30",
            "-frames:v", "24", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-crf", "18", video.path,
        ])
        let track = try FaceTracker(analyzer: try Self.analyzer()).track(try VideoFileSource(video))
        #expect(track.shots.count == 1, "the shake is not a cut")
        var rawSteps: [Float] = []
        for i in 1..<24 {
            let (a, b) = (try #require(track.region(forFrame: i - 1)), try #require(track.region(forFrame: i)))
            let step = Float(b.x - a.x) + Float(b.size - a.size) / 2
            #expect(abs(step - 4) <= 3, "frame \(i): the crop moved \(step) px")
            let (boxA, boxB) = (try #require(track.frames[i - 1].box), try #require(track.frames[i].box))
            rawSteps.append(boxB.center.x - boxA.center.x)
        }
        // The detector does see the shake.
        #expect(rawSteps.map { abs($0 - 4) }.max() ?? 0 >= 6)
        // The crop sits on the unshaken path: the straight line through the detected centres
        // (the shake averages out), from which the detected boxes stray by the shake.
        let centres = try (0..<24).map { try #require(track.frames[$0].box).center.x }
        let meanT = Float(23) / 2
        let meanX = centres.reduce(0, +) / 24
        let slope = zip(0..<24, centres).reduce(Float(0)) { $0 + (Float($1.0) - meanT) * ($1.1 - meanX) }
            / (0..<24).reduce(Float(0)) { $0 + (Float($1) - meanT) * (Float($1) - meanT) }
        var strays = 0
        for i in 0..<24 {
            let line = meanX + slope * (Float(i) - meanT)
            let region = try #require(track.region(forFrame: i))
            #expect(abs(Float(region.x) + Float(region.size) / 2 - line) <= 2.5, "frame \(i)")
            if abs(centres[i] - line) >= 3 { strays += 1 }
        }
        #expect(strays >= 20)
    }

    @Test("a face that jumps starts a new shot even where the frame difference finds no cut",
        .enabled(if: ffmpegAvailable))
    func faceJump() throws {
        let directory = try TemporaryDirectory()
        let video = directory.url.appendingPathComponent("jump.mp4")
        try Self.ffmpeg([
            "-f", "lavfi", "-i", "color=c=0x707070:s=640x360:r=25", "-loop", "1", "-framerate", "25", "-i",
            Fixtures.url("detector/inputs/portrait.png").path, "-filter_complex",
            "[1:v]scale=300:300,split[a][b];[0:v][a]overlay=x=20:y=30:enable='lt(n,5)'[v1];"
                + "[v1][b]overlay=x=320:y=30:enable='gte(n,5)'",
            "-frames:v", "10", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-crf", "18", video.path,
        ])
        var options = FaceTrackingOptions()
        options.shotCuts.minimumDifference = 2  // no cut from frame differences
        let track = try FaceTracker(analyzer: try Self.analyzer(), options: options).track(try VideoFileSource(video))
        #expect(track.shots == [Shot(frames: 0..<5, boundary: .clipStart), Shot(frames: 5..<10, boundary: .faceJump)])
        // Each side of the jump is centred on its own face: nothing is smoothed across it.
        for i in [3, 4, 5, 6] {
            let region = try #require(track.region(forFrame: i))
            let box = try #require(track.frames[i].box)
            #expect(abs(Float(region.x) + Float(region.size) / 2 - box.center.x) <= 2, "frame \(i)")
        }
    }

    @Test("two faces: --face K per frame; a frame without a face is its own shot and kept unchanged")
    func twoFacesAndABlankFrame() throws {
        let picture = try PNGFile.read(Fixtures.url("detector/inputs/two_faces.png"))
        let blank = RGBImage(height: picture.height, width: picture.width, red: 90, green: 90, blue: 90)
        let source = InMemoryFrames([picture, picture, blank, picture, picture])
        let analyzer = try Self.analyzer()
        var options = FaceTrackingOptions()
        let widest = try FaceTracker(analyzer: analyzer, options: options).track(source)
        #expect(widest.framesWithoutFace == [2])
        #expect(widest.shotStarts == [2, 3])
        #expect(widest.shots.map(\.boundary) == [.clipStart, .cut, .cut])
        #expect(widest.region(forFrame: 2) == nil && widest.landmarks(forFrame: 2) == nil)
        #expect(widest.firstFrameWithFace == 0)
        for i in [0, 1, 3, 4] {
            let region = try #require(widest.region(forFrame: i))
            #expect(region.x > 640, "frame \(i): the widest face is the right one")
            #expect(region == widest.region(forFrame: 0))
        }
        #expect(widest.landmarkTrack.hasNoFace(atFrame: 2))
        #expect(widest.regions.hasNoRegion(atFrame: 2))

        options.choice = .index(0)
        let left = try FaceTracker(analyzer: analyzer, options: options).track(source)
        for i in [0, 1, 3, 4] {
            let region = try #require(left.region(forFrame: i))
            #expect(region.x + region.size < 640, "frame \(i): face 0 is the left one")
        }

        // A fixed crop: the same square everywhere, the face inside it.
        options = FaceTrackingOptions()
        let fixed = FaceRegion(x: 800, y: 150, size: 260)
        options.region = fixed
        let cropped = try FaceTracker(analyzer: analyzer, options: options).track(source)
        #expect(cropped.regions == .fixed(fixed))
        #expect(cropped.region(forFrame: 0) == fixed && cropped.framesWithoutFace == [2])
        options.region = FaceRegion(x: 1200, y: 0, size: 200)
        #expect(throws: DubbingError.self) { try FaceTracker(analyzer: analyzer, options: options).track(source) }
    }

    @Test("a still image: one tracked frame standing for all")
    func still() throws {
        let picture = try PNGFile.read(Fixtures.url("detector/inputs/portrait.png"))
        let track = try FaceTracker(analyzer: try Self.analyzer()).track(StillFrame(picture))
        #expect(track.isStill && track.frameCount == 1)
        let region = try #require(track.region(forFrame: 0))
        #expect(track.region(forFrame: 500) == region)
        #expect(track.regions == .fixed(region))
        guard case .fixed = track.landmarkTrack else {
            Issue.record("expected fixed landmarks")
            return
        }
    }

    @Test("no face anywhere: every frame kept, not an error; an empty source is")
    func noFace() throws {
        let picture = try PNGFile.read(Fixtures.url("detector/inputs/no_face.png"))
        let track = try FaceTracker(analyzer: try Self.analyzer()).track(InMemoryFrames([picture, picture]))
        #expect(track.framesWithoutFace == [0, 1] && track.firstFrameWithFace == nil)
        #expect(throws: DubbingError.noFrames(input: "frames")) { try FaceTracker(analyzer: try Self.analyzer()).track(InMemoryFrames([])) }
    }
}

/// Collects progress reports from the tracker (called on the tracking thread).
final class ReportLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [ProgressReport] = []
    func add(_ report: ProgressReport) { lock.withLock { reports.append(report) } }
    var stages: Set<ProgressStage> { lock.withLock { Set(reports.map(\.stage)) } }
}
