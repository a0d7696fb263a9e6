import DiffDubIO
import DiffDubCore
import Foundation
import IOTestSupport
import TestSupport
import Testing

/// A video's real timing and damaged frames from one ffmpeg decoding pass
/// (`VideoProbe.timing`), on clips made here: evenly timed, at 0.001 fps, with a 4,000 s gap,
/// and with bytes flipped in the middle (issue 29).
@Suite("Video stream timing and damage")
struct StreamTimingTests {
    /// The ten 512 x 512 fixture frames (`faces/frames`) encoded as H.264 into `name` in `folder`,
    /// `rate` frames per second (an ffmpeg rate: `25`, `1/1000`), `filter` applied with the
    /// timestamps kept as the filter sets them.
    static func clip(_ name: String, in folder: URL, rate: String = "25", filter: String? = nil) throws -> URL {
        let url = folder.appendingPathComponent(name)
        var arguments = [
            "-framerate", rate, "-start_number", "1", "-i", Fixtures.url("faces/frames").path + "/synth_%d.png",
        ]
        if let filter { arguments += ["-vf", filter, "-fps_mode", "passthrough"] }
        arguments += [
            "-c:v", "libx264", "-threads", "1", "-g", "100", "-bf", "0", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
            url.path,
        ]
        try FFmpeg.run(arguments)
        return url
    }

    /// `clip` with 32 bytes inverted at each of 40 %, 45 %, ... 75 % of the file (inside the
    /// frames' data: the index is at the start).
    static func damaged(_ clip: URL, as name: String) throws -> URL {
        var bytes = [UInt8](try Data(contentsOf: clip))
        for k in 0..<8 {
            let start = bytes.count * (40 + 5 * k) / 100
            for j in stride(from: 0, to: 32, by: 4) { bytes[start + j] ^= 0xFF }
        }
        let url = clip.deletingLastPathComponent().appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    @Test("an evenly timed clip: ten frames 0.04 s apart, nothing damaged")
    func clean() throws {
        let folder = try TemporaryDirectory()
        let timing = try VideoProbe.timing(try Self.clip("clean.mp4", in: folder.url))
        #expect(timing.frameCount == 10 && timing.damagedFrames == 0)
        #expect(abs(timing.span - 0.4) < 1e-9 && abs(timing.longestGap - 0.04) < 1e-9)
        try ClipTimingLimits.standard.check(timing, input: "clean.mp4", rate: .model, followsSource: false)
    }

    @Test("0.001 fps and a 4,000 s gap: the real timestamps, refused at 25 fps")
    func stretched() throws {
        let folder = try TemporaryDirectory()
        let slow = try VideoProbe.timing(try Self.clip("slow.mp4", in: folder.url, rate: "1/1000"))
        #expect(slow.frameCount == 10 && abs(slow.longestGap - 1000) < 1e-6)
        #expect(throws: TimelineError.self) {
            try ClipTimingLimits.standard.check(slow, input: "slow.mp4", rate: .model, followsSource: false)
        }
        let gap = try VideoProbe.timing(
            try Self.clip("gap.mp4", in: folder.url, filter: "setpts=PTS+if(gte(N\\,5)\\,4000/TB\\,0)"))
        #expect(gap.frameCount == 10 && abs(gap.longestGap - 4000.04) < 1e-3 && abs(gap.longestGapStart - 0.16) < 1e-6)
        #expect(throws: TimelineError.self) {
            try ClipTimingLimits.standard.check(gap, input: "gap.mp4", rate: .model, followsSource: false)
        }
    }

    @Test("bit flips in the middle: damaged frames counted, every other frame still timed")
    func flippedBytes() throws {
        let folder = try TemporaryDirectory()
        let clean = try Self.clip("clean.mp4", in: folder.url)
        let timing = try VideoProbe.timing(try Self.damaged(clean, as: "damaged.mp4"))
        #expect(timing.damagedFrames >= 1 && timing.damagedFrames <= 10, "\(timing.damagedFrames)")
        #expect(timing.frameCount >= 5, "\(timing.frameCount)")
    }

    @Test("the log: frame lines, corrupt frames, dropped packets and other errors between frames")
    func log() {
        let text = """
            [info] Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'a.mp4':
            [Parsed_showinfo_0 @ 0x1] [info] config in time_base: 1/12800, frame_rate: 25/1
            [Parsed_showinfo_0 @ 0x1] [info] n:   0 pts:      0 pts_time:0       pos:  48 fmt:yuv420p
            [Parsed_showinfo_0 @ 0x1] [info] color_range:unknown color_space:unknown
            [h264 @ 0x2] [error] error while decoding MB 3 3, bytestream 31
            [h264 @ 0x2] [info] concealing 16 DC, 16 AC, 16 MV errors in P frame
            [warning] a.mp4: corrupt decoded frame in stream 0
            [Parsed_showinfo_0 @ 0x1] [info] n:   1 pts:    512 pts_time:0.04    pos: 1635
            [h264 @ 0x2] [error] Invalid NAL unit size (1256469180 > 33).
            [error] Error while decoding stream #0:0: Invalid data found when processing input
            [warning] a.mp4: corrupt decoded frame in stream 0
            [Parsed_showinfo_0 @ 0x1] [info] n:   2 pts:   1536 pts_time:0.12    pos: 1623
            [Parsed_showinfo_0 @ 0x1] [info] n:   3 pts:   2048 pts_time:NOPTS   pos: 1623
            [hevc @ 0x3] [error] Could not find ref with POC 7
            [Parsed_showinfo_0 @ 0x1] [info] n:   4 pts:   2560 pts_time:0.2     pos: 1700
            [h264 @ 0x2] [error] trailing damage
            """
        let timing = StreamTimingLog(text: text).timing
        #expect(timing.timestamps == [0, 0.04, 0.12, 0.2])
        #expect(timing.damagedFrames == 1 + 2 + 1 + 1)
    }
}
