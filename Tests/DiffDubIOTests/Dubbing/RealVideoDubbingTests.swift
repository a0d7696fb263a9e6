import DiffDubCore
import DiffDubIO
import Foundation
import IOTestSupport
import TestSupport
import Testing

/// Whole dubs of ordinary footage made with ffmpeg from `portrait.png`: a face that moves and a
/// cut, speech longer than the video, a 30 fps source. Face detection with the real FaceBoxesV2
/// and the fixture PIPNet; the pipeline's small random-weight models at 32 x 32.
@Suite("Dubbing real videos", .serialized)
struct RealVideoDubbingTests {
    static var ffmpegAvailable: Bool { (try? ExternalTool.locate("ffmpeg")) != nil }

    /// `seconds` of 320 x 180 video at `fps`: the portrait (150 px) panning right 2 px a frame,
    /// cut at the middle to a closer shot (220 px) panning left.
    static func clip(in directory: URL, seconds: Int, fps: Int) throws -> URL {
        let video = directory.appendingPathComponent("clip\(fps).mp4")
        let frames = seconds * fps
        try FFmpeg.run([
            "-f", "lavfi", "-i", "color=c=0x606060:s=320x180:r=\(fps)", "-loop", "1", "-framerate", "\(fps)", "-i",
            Fixtures.url("detector/inputs/portrait.png").path, "-filter_complex",
            "[1:v]split[a][b];[a]scale=150:150[s];[b]scale=220:220[z];"
                + "[0:v][s]overlay=x='20+2*n':y=15:enable='lt(n,\(frames / 2))'[v1];"
                + "[v1][z]overlay=x='90-1*(n-\(frames / 2))':y=-20:enable='gte(n,\(frames / 2))'",
            "-frames:v", "\(frames)", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-crf", "18", video.path,
        ])
        return video
    }

    /// Hubert features for `seconds` of speech (50 Hz, the pipeline fixture's width).
    static func speech(seconds: Int, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("speech\(seconds).npy")
        var generator = SeededGenerator(seed: 7)
        try NumPyFile.write(Tensor.random([25, 50 * seconds, 32], using: &generator), to: url)
        return url
    }

    static func request(video: URL, speech: URL, output: URL) -> DubbingRequest {
        DubbingRequest(
            models: .files(
                stage1: Fixtures.url("pipeline/stage1.ckpt"), stage2: Fixtures.url("pipeline/stage2.ckpt"), imageSize: 32),
            frames: .video(video), landmarks: .detect(AutomaticDubbingTests.detection),
            speech: .hubertFeatures(speech), options: DubbingOptions(steps: 2), output: .path(output))
    }

    @Test("7 s of speech on 5 s of moving, cut video: 175 frames by default, 125 with the shortest fit, dubbed on the face",
        .enabled(if: ffmpegAvailable))
    func speechLongerThanVideo() async throws {
        let directory = try TemporaryDirectory()
        let video = try Self.clip(in: directory.url, seconds: 5, fps: 25)
        let speech = try Self.speech(seconds: 7, in: directory.url)
        let output = directory.url.appendingPathComponent("out")
        var request = Self.request(video: video, speech: speech, output: output)
        let summary = try await request.run()
        #expect(summary.renderedFrames == 0..<175)
        #expect(summary.framesWithoutFace.isEmpty)
        #expect(try FrameFolder(output).count == 175)

        // Every output frame changed only around the face: the changed pixels' centre lies in
        // the tracked square of its source frame (ping-pong: output 130 shows source 118).
        let track = try request.trackFaces(
            in: try VideoFileSource(video), detection: AutomaticDubbingTests.detection, imageSize: 32)
        let timeline = try OutputTimeline(latentCount: 175, sourceFrameCount: 125)
        let inputs = try VideoReader(video).readAll()
        let outputs = try FrameFolder(output)
        var onFace = 0
        for i in stride(from: 0, to: 175, by: 5) {
            let source = timeline.sourceFrame(forOutput: i)
            let (original, dubbed) = (inputs[source], try outputs.image(at: i))
            var (count, sumX, sumY) = (0, 0, 0)
            for y in 0..<original.height {
                for x in 0..<original.width where (0..<3).contains(where: { original[y, x, $0] != dubbed[y, x, $0] }) {
                    count += 1
                    sumX += x
                    sumY += y
                }
            }
            guard count > 0, let square = track.region(forFrame: source) else { continue }
            let (cx, cy) = (sumX / count, sumY / count)
            if cx >= square.x && cx < square.x + square.size && cy >= square.y && cy < square.y + square.size { onFace += 1 }
        }
        #expect(onFace >= 34, "\(onFace) of 35 sampled frames dubbed on the face")

        request.options.fit = .shortest
        request.overwrite = true  // the first run's folder
        let shortest = try await request.run()
        #expect(shortest.renderedFrames == 0..<125)
        #expect(try FrameFolder(output).count == 125)
    }

    @Test("a 30 fps clip with --fps source --fit shortest keeps 30/1 and all 150 frames", .enabled(if: ffmpegAvailable))
    func sourceFrameRate() async throws {
        let directory = try TemporaryDirectory()
        let video = try Self.clip(in: directory.url, seconds: 5, fps: 30)
        let speech = try Self.speech(seconds: 6, in: directory.url)
        let output = directory.url.appendingPathComponent("out.mp4")
        var request = Self.request(video: video, speech: speech, output: output)
        request.options.fit = .shortest
        request.options.frameRate = .source
        let summary = try await request.run()
        #expect(summary.renderedFrames == 0..<150)
        let info = try VideoProbe.info(output)
        #expect(info.rate == FrameRate(numerator: 30))
        #expect(try VideoProbe.countFrames(output) == 150)
    }
}
