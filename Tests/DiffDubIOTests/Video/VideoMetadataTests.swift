import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// Clips with rotation metadata and variable frame rates, made with the ffmpeg executable.
@Suite struct VideoMetadataTests {
    /// Runs ffmpeg with `arguments` in `folder`.
    static func ffmpeg(_ arguments: [String], in folder: URL) throws {
        let process = Process()
        process.executableURL = try ExternalTool.locate("ffmpeg")
        process.arguments = ["-v", "error", "-y", "-nostdin"] + arguments
        process.currentDirectoryURL = folder
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "ffmpeg \(arguments.joined(separator: " "))")
    }

    /// Where the mostly blue pixels of `image` are: their mean (x, y).
    static func blueCentre(_ image: RGBImage) -> (x: Double, y: Double) {
        var (sx, sy, n) = (0.0, 0.0, 0.0)
        for y in 0..<image.height {
            for x in 0..<image.width where image[y, x, 2] > 128 && image[y, x, 0] < 128 {
                sx += Double(x)
                sy += Double(y)
                n += 1
            }
        }
        return (sx / max(n, 1), sy / max(n, 1))
    }

    @Test(arguments: [(90, 32, 64), (180, 64, 32), (270, 32, 64)])
    func rotatedClipsDecodeUprightAtTheDisplayedSize(rotation: Int, width: Int, height: Int) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        // 64x32 landscape, a 16x16 blue square in the top-left corner, then a rotation tag.
        try Self.ffmpeg(
            [
                "-f", "lavfi", "-i", "color=c=red:s=64x32:d=0.2:r=25", "-vf",
                "drawbox=x=0:y=0:w=16:h=16:c=blue:t=fill", "-c:v", "libx264", "-pix_fmt", "yuv444p", "plain.mp4",
            ], in: folder.url)
        try Self.ffmpeg(["-i", "plain.mp4", "-c", "copy", "-metadata:s:v", "rotate=\(rotation)", "rotated.mp4"], in: folder.url)
        let url = folder.file("rotated.mp4")
        let info = try VideoProbe.info(url)
        #expect(info.width == width && info.height == height)
        let reader = try VideoReader(url)
        let frames = try reader.readAll()
        #expect(frames.count == 5)
        let frame = try #require(frames.first)
        #expect(frame.width == width && frame.height == height)
        // The square's corner as ffmpeg displays the rotated clip (its display matrix: the
        // "rotate" tag turns the picture counter-clockwise).
        let blue = Self.blueCentre(frame)
        let expected: (x: Double, y: Double) =
            switch rotation {
            case 90: (7.5, 55.5)
            case 180: (55.5, 23.5)
            default: (23.5, 7.5)
            }
        #expect(abs(blue.x - expected.x) < 2 && abs(blue.y - expected.y) < 2, "\(rotation): \(blue)")
    }

    @Test func variableFrameRateClipsDecodeInTime() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        // Four grey levels shown for 0.12, 0.2, 0.08 and 0.4 s.
        let levels = ["202020", "606060", "a0a0a0", "e0e0e0"]
        for level in levels {
            try Self.ffmpeg(["-f", "lavfi", "-i", "color=c=0x\(level):s=32x32:d=0.04", "-frames:v", "1", "\(level).png"], in: folder.url)
        }
        let list = zip(levels, ["0.12", "0.2", "0.08", "0.4"]).map { "file '\($0).png'\nduration \($1)\n" }.joined()
            + "file 'e0e0e0.png'\n"
        try Data(list.utf8).write(to: folder.file("list.txt"))
        try Self.ffmpeg(
            ["-f", "concat", "-safe", "0", "-i", "list.txt", "-vsync", "vfr", "-c:v", "libx264", "-pix_fmt", "yuv420p", "vfr.mp4"],
            in: folder.url)
        let url = folder.file("vfr.mp4")
        #expect(try VideoProbe.info(url).isVariableFrameRate)
        // At 25 fps: 0.12 s = 3 frames of the first level, 0.2 s = 5, 0.08 s = 2, then the last.
        let frames = try VideoReader(url).readAll()
        let grey = frames.map { Int($0[16, 16, 0]) / 64 }
        #expect(Array(grey.prefix(10)) == [0, 0, 0, 1, 1, 1, 1, 1, 2, 2], "\(grey)")
        #expect(grey.dropFirst(10).allSatisfy { $0 == 3 } && (20...21).contains(grey.count), "\(grey)")
        // The source's own frames: the five stored frames at the average rate, in time.
        let info = try VideoProbe.info(url)
        let source = try VideoReader(url, timing: .sourceRate).readAll()
        let duration = try #require(info.duration)
        #expect(abs(Double(source.count) - duration * info.frameRate) <= 1.5, "\(source.count) frames, \(info)")
        #expect(source.first.map { Int($0[16, 16, 0]) / 64 } == 0 && source.last.map { Int($0[16, 16, 0]) / 64 } == 3)
    }
}
