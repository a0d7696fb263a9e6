import DiffDubCore
import DiffDubIO
import Foundation
import IOTestSupport
import TestSupport
import Testing

/// Every numeric option of every command at its edges, through the built `diffdub`: refused
/// before any work with a line naming the flag and its range, nothing written (issue 29: each
/// of these exited 0 or trapped).
@Suite("Command-line options in their ranges", .serialized)
struct CommandOptionRangeTests {
    static let huge = "9223372036854775807"

    /// Runs `diffdub arguments`, requires a failure whose one error line starts with
    /// `Error: <prefix>` and contains `range` (when given), and that `output` was not created.
    static func expectRefused(_ arguments: [String], _ prefix: String, range: String? = nil, output: URL) throws {
        let result = try DiffDubExecutable.run(arguments)
        // Progress and warnings may come first; the refusal is the one `Error:` line.
        let errors = result.standardError.split(separator: "\n").filter { $0.hasPrefix("Error: ") }
        #expect(errors.count == 1, "\(arguments.suffix(4)): \(result.standardError)")
        let first = errors.first.map(String.init) ?? ""
        #expect(result.status != 0, "\(arguments.suffix(4)): exited 0")
        #expect(first.hasPrefix("Error: \(prefix)"), "\(arguments.suffix(4)): \(first)")
        if let range { #expect(first.contains(range), "\(first)") }
        #expect(!FileManager.default.fileExists(atPath: output.path), "\(arguments.suffix(4)): output written")
    }

    @Test("dub and job prepare: the issue's values and the other numeric flags")
    func dub() throws {
        let folder = try TemporaryDirectory()
        let output = folder.url.appendingPathComponent("out")
        let cases: [([String], String, String?)] = [
            (["--reference-frame", Self.huge], "--reference-frame \(Self.huge):", "0 to 359999"),
            (["--few-shot", "--reference-frame", Self.huge], "--reference-frame \(Self.huge):", "0 to 359999"),
            (["--reference-frame=-1"], "--reference-frame -1:", nil),
            (["--crop", "\(Self.huge),0,1"], "--crop \(Self.huge),0,1:", "0 to 1048576"),
            (["--expand", "inf"], "--expand inf:", "above -1 and at most 10"),
            (["--expand", "nan"], "--expand nan:", nil),
            (["--smooth", Self.huge], "--smooth \(Self.huge):", "0 to 1000"),
            (["--face", Self.huge], "--face \(Self.huge):", "0 to 999"),
            (["--detect-every", "0"], "--detect-every 0:", "1 to 1000"),
            (["--batch", Self.huge], "--batch \(Self.huge):", "1 to 256"),
            (["--steps", Self.huge], "--steps \(Self.huge):", "1 to 1000"),
            (["--steps", "37"], "--steps:", nil),
            (["--threads", Self.huge], "--threads \(Self.huge):", "1 to 1024"),
            (["--image-size", Self.huge], "--image-size \(Self.huge):", "1 to 4096"),
            (["--frame-range", "\(Self.huge):"], "--frame-range \(Self.huge)::", nil),
            (["--frame-range", "99999999999999999999:"], "--frame-range 99999999999999999999:", nil),
        ]
        for (extra, prefix, range) in cases {
            try Self.expectRefused(["dub"] + JobTests.dubArguments() + extra + ["--output", output.path], prefix, range: range, output: output)
            let job = folder.url.appendingPathComponent("job")
            try Self.expectRefused(["job", "prepare", job.path] + JobTests.dubArguments() + extra, prefix, range: range, output: job)
        }
    }

    @Test("--frame-range and --reference-frame past a 10-frame clip: every output kind, nothing written")
    func pastTheClip() throws {
        let folder = try TemporaryDirectory()
        for (name, raw) in [("out.mp4", false), ("frames", false), ("raw", true)] {
            let output = folder.url.appendingPathComponent(name)
            let tail = (raw ? ["--raw"] : []) + ["--output", output.path]
            try Self.expectRefused(
                ["dub"] + JobTests.dubArguments() + ["--frame-range", "13:20"] + tail,
                "--frame-range 13:20: the output has 10 frames (0 to 9)", output: output)
            try Self.expectRefused(
                ["dub"] + JobTests.dubArguments() + ["--reference-frame", "12"] + tail,
                "--reference-frame 12: the clip has 10 frames (0 to 9)", output: output)
        }
        let job = folder.url.appendingPathComponent("job")
        try Self.expectRefused(
            ["job", "prepare", job.path] + JobTests.dubArguments() + ["--frame-range", "13:20"], "--frame-range 13:20:",
            output: job)
    }

    @Test("render, encode, demo, job run, models download, landmarks: their numeric flags")
    func otherCommands() throws {
        let folder = try TemporaryDirectory()
        let npy = folder.url.appendingPathComponent("x.npy")
        try NumPyFile.write(Tensor(zeros: [1, 3, 32, 32]), to: npy)
        let output = folder.url.appendingPathComponent("out.npy")
        let stage1 = Fixtures.url("pipeline/stage1.ckpt").path
        let render = [
            "render", "--stage1", stage1, "--x-start", npy.path, "--reference", npy.path, "--mask", npy.path,
            "--latent", npy.path, "--seed", "0", "--output", output.path,
        ]
        try Self.expectRefused(render + ["--steps", Self.huge], "--steps \(Self.huge):", range: "1 to 1000", output: output)
        try Self.expectRefused(render + ["--image-size", Self.huge], "--image-size \(Self.huge):", output: output)
        try Self.expectRefused(render + ["--image-size", "0"], "--image-size 0:", output: output)
        try Self.expectRefused(render + ["--bf16-winograd-tile", "3"], "--bf16-winograd-tile 3:", output: output)
        try Self.expectRefused(
            ["encode", "--stage1", stage1, "--input", npy.path, "--output", output.path, "--image-size", Self.huge],
            "--image-size \(Self.huge):", output: output)
        let demo = folder.url.appendingPathComponent("demo.mp4")
        try Self.expectRefused(["demo", "--steps", Self.huge, "--output", demo.path], "--steps \(Self.huge):", output: demo)
        try Self.expectRefused(["demo", "--steps", "0", "--output", demo.path], "--steps 0:", output: demo)
        let job = folder.url.appendingPathComponent("job")
        try Self.expectRefused(["job", "run", job.path, "--threads", Self.huge], "--threads \(Self.huge):", output: job)
        try Self.expectRefused(["job", "run", job.path, "--shard", "\(Self.huge)0/1"], "--shard", output: job)
        let models = folder.url.appendingPathComponent("models")
        try Self.expectRefused(
            ["models", "download", "stage1", "--retries", Self.huge], "--retries \(Self.huge):", range: "0 to 100",
            output: models)
        let table = folder.url.appendingPathComponent("landmarks.txt")
        let landmarkCases: [([String], String)] = [
            (["--smooth", Self.huge], "--smooth \(Self.huge):"), (["--expand", "inf"], "--expand inf:"),
            (["--face=-1"], "--face -1:"), (["--detect-every", Self.huge], "--detect-every \(Self.huge):"),
        ]
        for (extra, prefix) in landmarkCases {
            try Self.expectRefused(
                ["landmarks", "--frames", Fixtures.url("faces/frames").path] + extra + ["--output", table.path], prefix,
                output: table)
        }
    }

    @Test("--face 2 on frames with two faces says how many faces there are")
    func faceIndex() throws {
        let folder = try TemporaryDirectory()
        let frames = folder.url.appendingPathComponent("frames")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: true)
        let picture = try PNGFile.read(Fixtures.url("detector/inputs/two_faces.png"))
        for i in 1...2 { try PNGFile.write(picture, to: frames.appendingPathComponent(String(format: "%06d.png", i))) }
        let models = [
            "--detector", Fixtures.url("detector/faceboxesv2.pth").path,
            "--landmark-model", Fixtures.url("pipnet/pipnet.pth").path,
        ]
        let output = folder.url.appendingPathComponent("out")
        let dub = [
            "dub", "--stage1", Fixtures.url("pipeline/stage1.ckpt").path, "--stage2", Fixtures.url("pipeline/stage2.ckpt").path,
            "--image-size", "32", "--frames", frames.path, "--hubert", Fixtures.url("pipeline/hubert.npy").path,
            "--steps", "2", "--quiet", "--face", "2", "--output", output.path,
        ] + models
        try Self.expectRefused(
            dub, "--face 2: \(frames.path) has at most 2 faces in a frame (faces 0 to 1, counted from the left)",
            output: output)
        let table = folder.url.appendingPathComponent("landmarks.txt")
        try Self.expectRefused(
            ["landmarks", "--frames", frames.path, "--face", "2", "--output", table.path] + models, "--face 2: ",
            output: table)
    }
}
