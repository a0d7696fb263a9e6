import DiffDubCore
import DiffDubIO
import Foundation
import IOTestSupport
import TestSupport
import Testing

/// `diffdub job` end to end, through the built executable (shards are separate processes):
/// the one-shot fixture dub of PipelineParityTests (small random-weight models, 10 frames of
/// 512 x 512, image size 32) split into shards, killed and resumed, each compared with one
/// `diffdub dub` run frame for frame.
@Suite("Dubbing jobs: prepare, shards, resume, finish", .serialized)
struct JobTests {
    /// The inputs and options of the fixture dub (`steps` denoising steps).
    static func dubArguments(frames: URL = Fixtures.url("faces/frames"), steps: Int = 5) -> [String] {
        [
            "--stage1", Fixtures.url("pipeline/stage1.ckpt").path, "--stage2", Fixtures.url("pipeline/stage2.ckpt").path,
            "--image-size", "32", "--frames", frames.path, "--landmarks", Fixtures.url("faces/landmarks").path,
            "--hubert", Fixtures.url("pipeline/hubert.npy").path, "--noise", Fixtures.url("pipeline/xT.npy").path,
            "--reference-frame", "3", "--steps", "\(steps)", "--quiet",
        ]
    }

    /// Runs `diffdub arguments` and requires success.
    @discardableResult
    static func diffdub(_ arguments: [String]) throws -> DiffDubExecutable.Result {
        let result = try DiffDubExecutable.run(arguments)
        try #require(result.status == 0, "diffdub \(arguments.prefix(3).joined(separator: " ")): \(result.standardError)")
        return result
    }

    /// The names and bytes of the files of `folder`.
    static func files(_ folder: URL) throws -> [String: Data] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        return try Dictionary(uniqueKeysWithValues: names.map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) })
    }

    /// Requires the frames of `job/frames` to equal those of a `dub --raw` folder, pixel for pixel.
    static func expectSameFrames(job: URL, dub: URL) throws {
        let rendered = try FrameFolder(job.appendingPathComponent("frames"))
        let expected = try FrameFolder(dub)
        #expect(rendered.frameNames == expected.frameNames)
        for i in 0..<min(rendered.count, expected.count) {
            #expect(try rendered.image(at: i) == expected.image(at: i), "frame \(expected.frameNames[i])")
        }
    }

    @Test(
        "three shards two at a time (and two copies of one shard at once) equal one dub, frame for frame; finish is byte-identical",
        .enabled(if: DiffDubExecutable.url != nil))
    func threeShards() throws {
        let directory = try TemporaryDirectory()
        let dub = directory.url.appendingPathComponent("dub")
        let dubFull = directory.url.appendingPathComponent("dub-full")
        let job = directory.url.appendingPathComponent("job")
        try Self.diffdub(["dub"] + Self.dubArguments() + ["--raw", "--output", dub.path])
        try Self.diffdub(["dub"] + Self.dubArguments() + ["--output", dubFull.path])
        try Self.diffdub(["job", "prepare", job.path] + Self.dubArguments())

        let pending = try DiffDubExecutable.run(["job", "status", job.path])
        #expect(pending.status != 0)
        #expect(pending.standardOutput.hasPrefix("0/10 frames\n"))

        let first = try ["0/3", "1/3"].map { try DiffDubExecutable.start(["job", "run", job.path, "--shard", $0, "--quiet"]) }
        for process in first { #expect(process.wait().status == 0) }
        let second = try (0..<2).map { _ in try DiffDubExecutable.start(["job", "run", job.path, "--shard", "2/3", "--quiet"]) }
        for process in second { #expect(process.wait().status == 0) }

        let status = try DiffDubExecutable.run(["job", "status", job.path])
        #expect(status.status == 0)
        #expect(status.standardOutput == "10/10 frames\n")
        try Self.expectSameFrames(job: job, dub: dub)

        let raw = directory.url.appendingPathComponent("finish-raw")
        let full = directory.url.appendingPathComponent("finish-full")
        try Self.diffdub(["job", "finish", job.path, "--raw", "--output", raw.path, "--quiet"])
        try Self.diffdub(["job", "finish", job.path, "--output", full.path, "--quiet"])
        #expect(try Self.files(raw) == Self.files(dub))
        #expect(try Self.files(full) == Self.files(dubFull))
        // Nothing temporary is left in the job.
        #expect(try FileManager.default.contentsOfDirectory(atPath: job.appendingPathComponent("frames").path).allSatisfy { !$0.hasPrefix(".") })
    }

    @Test(
        "a job prepared with --precision bf16 renders bf16 in every shard: 3 shards finish byte-identical to dub --precision bf16 (emulated on CPUs without AVX512_BF16)",
        .enabled(if: DiffDubExecutable.url != nil))
    func bf16Shards() throws {
        let directory = try TemporaryDirectory()
        let bf16 = Self.dubArguments(steps: 3) + ["--precision", "bf16"]
        let (dub, dubFP32, job) = (
            directory.url.appendingPathComponent("dub"), directory.url.appendingPathComponent("dub-fp32"),
            directory.url.appendingPathComponent("job")
        )
        try Self.diffdub(["dub"] + bf16 + ["--output", dub.path])
        try Self.diffdub(["dub"] + Self.dubArguments(steps: 3) + ["--output", dubFP32.path])
        try Self.diffdub(["job", "prepare", job.path] + bf16)
        for shard in ["0/3", "1/3", "2/3"] { try Self.diffdub(["job", "run", job.path, "--shard", shard, "--quiet"]) }
        let finished = directory.url.appendingPathComponent("finished")
        try Self.diffdub(["job", "finish", job.path, "--output", finished.path, "--quiet"])
        #expect(try Self.files(finished) == Self.files(dub))
        // The precision changed the frames: bf16 is not fp32 on any CPU.
        #expect(try Self.files(dub) != Self.files(dubFP32))
    }

    @Test(
        "a shard killed with SIGKILL mid-run: status fails, finish refuses and writes nothing; run again it completes the same frames",
        .enabled(if: DiffDubExecutable.url != nil))
    func killedShard() throws {
        let directory = try TemporaryDirectory()
        let steps = 40  // slow enough (about a second a frame) to be killed between frames
        let dub = directory.url.appendingPathComponent("dub")
        let job = directory.url.appendingPathComponent("job")
        try Self.diffdub(["dub"] + Self.dubArguments(steps: steps) + ["--raw", "--output", dub.path, "--threads", "1"])
        try Self.diffdub(["job", "prepare", job.path] + Self.dubArguments(steps: steps))

        let frames = job.appendingPathComponent("frames")
        let running = try DiffDubExecutable.start(["job", "run", job.path, "--shard", "0/1", "--threads", "1", "--quiet"])
        let deadline = Date().addingTimeInterval(120)
        while JobFolder(job).renderedFrames().count < 2, running.process.isRunning, Date() < deadline {
            usleep(5_000)
        }
        try #require(running.process.isRunning, "the shard finished before it could be killed")
        running.kill()
        #expect(running.process.terminationReason == .uncaughtSignal)
        let done = JobFolder(job).renderedFrames().count
        try #require(done >= 2 && done < 10)

        let status = try DiffDubExecutable.run(["job", "status", job.path])
        #expect(status.status != 0)
        #expect(status.standardOutput.hasPrefix("\(done)/10 frames\nmissing "))
        let output = directory.url.appendingPathComponent("out")
        let refused = try DiffDubExecutable.run(["job", "finish", job.path, "--raw", "--output", output.path])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("\(done)/10 frames rendered; missing"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == ["dub", "job"])

        let before = try Self.files(frames).filter { !$0.key.hasPrefix(".") }
        let resumed = try Self.diffdub(["job", "run", job.path, "--shard", "0/1", "--threads", "1"])
        #expect(resumed.standardError.contains("rendered \(10 - done) frames, \(done) already done"))
        // Frames rendered before the kill were kept, not rendered again.
        for (name, data) in before { #expect(try Data(contentsOf: frames.appendingPathComponent(name)) == data) }
        #expect(try DiffDubExecutable.run(["job", "status", job.path]).status == 0)
        try Self.expectSameFrames(job: job, dub: dub)
        try Self.diffdub(["job", "finish", job.path, "--raw", "--output", output.path, "--quiet"])
        #expect(try Self.files(output) == Self.files(dub))
    }

    @Test(
        "an input frame changed after prepare makes finish refuse, naming that frame; --raw does not read the inputs",
        .enabled(if: DiffDubExecutable.url != nil))
    func changedInputFrame() throws {
        let directory = try TemporaryDirectory()
        let frames = directory.url.appendingPathComponent("frames")
        try FileManager.default.copyItem(at: Fixtures.url("faces/frames"), to: frames)
        let job = directory.url.appendingPathComponent("job")
        try Self.diffdub(["job", "prepare", job.path] + Self.dubArguments(frames: frames))
        try Self.diffdub(["job", "run", job.path, "--quiet"])

        // Change one pixel of one frame (same size on disk or not: either is caught).
        let changed = frames.appendingPathComponent("synth_7.png")
        var image = try PNGFile.read(changed)
        image.pixels[0] ^= 0xFF
        try PNGFile.write(image, to: changed)

        let output = directory.url.appendingPathComponent("out")
        let refused = try DiffDubExecutable.run(["job", "finish", job.path, "--output", output.path])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains(changed.path), "\(refused.standardError)")
        #expect(refused.standardError.contains("changed since the job was prepared"))
        #expect(!FileManager.default.fileExists(atPath: output.path))

        try Self.diffdub(["job", "finish", job.path, "--raw", "--output", output.path, "--quiet"])
        #expect(try FrameFolder(output).count == 10)
    }

    @Test("prepare refuses a folder that holds a job; run refuses a changed checkpoint", .enabled(if: DiffDubExecutable.url != nil))
    func refusals() throws {
        let directory = try TemporaryDirectory()
        let stage1 = directory.url.appendingPathComponent("stage1.ckpt")
        try FileManager.default.copyItem(at: Fixtures.url("pipeline/stage1.ckpt"), to: stage1)
        var arguments = Self.dubArguments()
        arguments[1] = stage1.path
        let job = directory.url.appendingPathComponent("job")
        try Self.diffdub(["job", "prepare", job.path] + arguments)
        let again = try DiffDubExecutable.run(["job", "prepare", job.path] + arguments)
        #expect(again.status != 0 && again.standardError.contains("already holds a prepared job"))

        let handle = try FileHandle(forWritingTo: stage1)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()
        let run = try DiffDubExecutable.run(["job", "run", job.path, "--shard", "0/2"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("\(stage1.path): stage-1 checkpoint changed since the job was prepared"))
        #expect(JobFolder(job).renderedFrames().isEmpty)

        // The same checkpoint elsewhere on this machine is accepted (its SHA-256 matches).
        let elsewhere = try Self.diffdub(["job", "run", job.path, "--shard", "0/2", "--stage1", Fixtures.url("pipeline/stage1.ckpt").path])
        #expect(elsewhere.standardError.contains("rendered 5 frames"))
    }
}
