import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// Reading videos at their own rate and writing at exact rates (ffmpeg must be installed).
@Suite("Video frame rates")
struct FrameRateVideoTests {
    static func rate(_ n: Int, _ d: Int = 1) -> FrameRate { FrameRate(numerator: n, denominator: d)! }

    /// Frame `i`: a flat grey level `8 i`, easy to tell apart after encoding.
    static func frame(_ index: Int) -> RGBImage {
        let level = UInt8(truncatingIfNeeded: 8 * index + 16)
        return RGBImage(height: 32, width: 48, red: level, green: level, blue: level)
    }

    static func write(_ count: Int, at rate: FrameRate, to url: URL) throws {
        let writer = try VideoWriter(url, width: 48, height: 32, rate: rate)
        for i in 0..<count { try writer.write(Self.frame(i)) }
        try writer.finish()
    }

    @Test("30 fps: probed as 30/1, read at the source rate frame for frame, at 25 fps resampled")
    func thirty() throws {
        let folder = try TemporaryDirectory()
        let video = folder.url.appendingPathComponent("thirty.mp4")
        try Self.write(30, at: Self.rate(30), to: video)
        let info = try VideoProbe.info(video)
        #expect(info.rate == Self.rate(30))
        let source = try VideoFileSource(atSourceRateOf: video)
        #expect(source.rate == Self.rate(30) && source.frameRate == 30)
        let reader = try source.makeReader()
        var frames: [RGBImage] = []
        while let frame = try reader.next() { frames.append(frame) }
        #expect(frames.count == 30)
        for (i, frame) in frames.enumerated() {
            #expect(abs(Int(frame.pixels[0]) - Int(Self.frame(i).pixels[0])) <= 3, "frame \(i)")
        }
        let native = try VideoReader(video, timing: .sourceRate)
        #expect(native.rate == Self.rate(30))
        #expect(try native.readAll().count == 30)
        #expect(try VideoReader(video).readAll().count == 25)
        #expect(try VideoFileSource(video).rate == .model)
    }

    @Test("NTSC 30000/1001: written, probed and read back exactly")
    func ntsc() throws {
        let folder = try TemporaryDirectory()
        let video = folder.url.appendingPathComponent("ntsc.mp4")
        try Self.write(20, at: Self.rate(30000, 1001), to: video)
        #expect(try VideoProbe.info(video).rate == Self.rate(30000, 1001))
        #expect(try VideoReader(video, timing: .sourceRate).readAll().count == 20)
        // The sink writes at the given rate too.
        let sinkVideo = folder.url.appendingPathComponent("sink.mp4")
        let sink = try VideoFileSink(sinkVideo, audio: nil, rate: Self.rate(30000, 1001))
        for i in 0..<5 { try sink.write(Self.frame(i), index: i) }
        try sink.finish()
        #expect(try VideoProbe.info(sinkVideo).rate == Self.rate(30000, 1001))
    }

    @Test("variable frame rate: read in time order at the average rate")
    func variableRate() throws {
        let folder = try TemporaryDirectory()
        let video = folder.url.appendingPathComponent("vfr.mkv")
        // 15 frames 1/30 s apart, then 15 frames 2/30 s apart: 1.5 s, 30 frames, 20 fps on average.
        let process = Process()
        process.executableURL = try ExternalTool.locate("ffmpeg")
        process.arguments = [
            "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=30", "-frames:v", "30",
            "-vf", "setpts='if(lt(N,15),N,15+(N-15)*2)/(30*TB)'", "-fps_mode", "vfr", "-c:v", "libx264",
            "-pix_fmt", "yuv420p", video.path,
        ]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let info = try VideoProbe.info(video)
        let rate = try #require(info.rate)
        let frames = try VideoReader(video, timing: .sourceRate).readAll()
        let expected = (info.duration ?? 0) * rate.framesPerSecond
        #expect(Double(frames.count) >= expected - 2 && Double(frames.count) <= expected + 2, "\(frames.count) frames, rate \(rate), duration \(info.duration ?? 0)")
        #expect(frames.allSatisfy { $0.width == 64 && $0.height == 48 })
    }
}
