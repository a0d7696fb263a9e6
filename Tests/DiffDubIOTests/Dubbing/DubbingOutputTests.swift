import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// Outputs of whole runs: MP4 with audio, joined slices, paste-back at the input resolution.
@Suite("Dubbing outputs")
struct DubbingOutputTests {
    static var ffmpegAvailable: Bool { (try? ExternalTool.locate("ffmpeg")) != nil }

    @Test("the demo writes an MP4 with the expected frames and an audio stream", .enabled(if: ffmpegAvailable))
    func demoVideo() async throws {
        let directory = try TemporaryDirectory()
        let output = directory.url.appendingPathComponent("demo.mp4")
        let summary = try await DubbingDemo.run(sample: Fixtures.url("faces"), output: output, steps: 2)
        #expect(summary.renderedFrames == 0..<10)
        let info = try VideoProbe.info(output)
        #expect(info.width == 512 && info.height == 512)
        #expect(info.hasAudio)
        #expect(try VideoProbe.countFrames(output) == 10)
    }

    @Test("joined slices equal one run; gaps and overlaps are errors")
    func joinSlices() async throws {
        let directory = try TemporaryDirectory()
        func run(_ range: FrameRange, into name: String) async throws -> URL {
            let url = directory.url.appendingPathComponent(name)
            var job = PipelineParityTests.job(output: url)
            job.options.steps = 2
            job.options.frameRange = range
            _ = try await job.run()
            return url
        }
        let whole = try await run(FrameRange(), into: "whole")
        let first = try await run(FrameRange(start: 0, end: 6), into: "a")
        let second = try await run(FrameRange(start: 6), into: "b")
        let joined = directory.url.appendingPathComponent("joined")
        try FrameOutput.writing(to: joined, audio: nil) { sink in
            try FrameSlices(folders: [second, first]).write(to: sink)
        }
        let (x, y) = (try FrameFolder(whole), try FrameFolder(joined))
        #expect(x.count == 10 && y.count == 10)
        for i in 0..<x.count { #expect(try x.image(at: i) == y.image(at: i)) }

        #expect(throws: FrameSlices.Error.duplicate(frame: 0, first: first.path, second: whole.path)) {
            try FrameSlices(folders: [first, whole])
        }
        let late = try await run(FrameRange(start: 8), into: "c")
        #expect(throws: FrameSlices.Error.gap(missing: 6..<8)) { try FrameSlices(folders: [first, late]) }
    }

    @Test("paste-back keeps the input resolution and every pixel outside the mouth region")
    func pasteBack() async throws {
        let directory = try TemporaryDirectory()
        let output = directory.url.appendingPathComponent("out")
        var job = PipelineParityTests.job(output: output)
        job.options.raw = false
        job.options.steps = 2
        job.options.frameRange = FrameRange(start: 0, end: 2)
        _ = try await job.run()
        let inputs = try FrameFolder(PipelineParityTests.framesFolder)
        let points = try LandmarksFile.readFolder(PipelineParityTests.landmarksFolder, frames: inputs.frameNames)
        let outputs = try FrameFolder(output)
        for i in 0..<2 {
            let (original, dubbed) = (try inputs.image(at: i), try outputs.image(at: i))
            #expect(dubbed.height == original.height && dubbed.width == original.width)
            // The region the model regenerated (its mouth mask at model resolution), scaled to the
            // frame with the feathered edge: where its weight is 0, every byte is the input's.
            let face = FaceFrame(face: original, landmarks: points[i], size: 32)
            let alpha = Compositing.featheredAlpha(mask: face.mouthMask, size: original.height, feather: original.height / 64)
            #expect(alpha.filter { $0 == 0 }.count > original.pixelCount / 4)
            var changedOutside = 0
            var changedInside = 0
            for y in 0..<original.height {
                for x in 0..<original.width where (0..<3).contains(where: { original[y, x, $0] != dubbed[y, x, $0] }) {
                    if alpha[y * original.width + x] == 0 { changedOutside += 1 } else { changedInside += 1 }
                }
            }
            #expect(changedOutside == 0)
            #expect(changedInside > 1000)
        }
    }
}

/// `--hubert-model` with `--audio`: the features are computed in Swift from the speech.
@Suite("Dubbing from audio")
struct DubbingFromAudioTests {
    @Test("a job computes Hubert features from the audio with a model folder, then dubs")
    func speechFromAudio() async throws {
        let directory = try TemporaryDirectory()
        // A tiny Hubert whose 25 hidden states are 32 wide, as the pipeline fixture's stage 2 expects.
        let configuration = HubertConfiguration(
            hiddenSize: 32, numHiddenLayers: 24, numAttentionHeads: 2, intermediateSize: 64,
            convDim: Array(repeating: 16, count: 7), numConvPosEmbeddings: 16, numConvPosEmbeddingGroups: 4)
        let model = directory.url.appendingPathComponent("hubert")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try JSONEncoder().encode(configuration).write(to: model.appendingPathComponent("config.json"))
        let weights = WeightBinder(randomSeed: 5)
        _ = try HubertModel(weights, configuration: configuration)
        try SafeTensorsFile.write(weights.boundStateDict, to: model.appendingPathComponent("model.safetensors"))

        let audio = directory.url.appendingPathComponent("speech.wav")
        let samples = (0..<6400).map { Float(0.2 * sin(Double($0) * 0.05)) }  // 0.4 s at 16 kHz
        try AudioFile.write(AudioClip(samples: samples, channels: 1, sampleRate: 16000), to: audio)

        var job = PipelineParityTests.job(output: directory.url.appendingPathComponent("out"))
        job.options.steps = 2
        job.audio = audio
        job.speech = .hubertModel(model)
        let summary = try await job.run()
        // 6400 samples: (6400 - 400) / 320 + 1 = 19 Hubert frames, + 1 repeated = 20 -> 10 latents.
        #expect(summary.latentCount == 10)
        #expect(summary.renderedFrames == 0..<10)

        job.audio = nil
        await #expect(throws: DubbingRequestError.audioRequired) { try await job.run() }
    }
}

/// `--sampler dpmpp2m` through a whole run: its own step grid, not only the counts DDIM accepts.
@Suite("Dubbing with DPM-Solver++(2M)")
struct DubbingSamplerTests {
    @Test("a run with DPM-Solver++(2M) accepts a step count ddimN rejects and renders every frame")
    func dpmSolverRun() async throws {
        let directory = try TemporaryDirectory()
        var job = PipelineParityTests.job(output: directory.url.appendingPathComponent("out"))
        job.options.sampler = .dpmpp2m
        job.options.steps = 37  // no "ddim37" grid exists; DPM-Solver++'s log-SNR grid does
        job.options.frameRange = FrameRange(start: 0, end: 2)
        let summary = try await job.run()
        #expect(summary.renderedFrames == 0..<2)
        #expect(try FrameFolder(directory.url.appendingPathComponent("out")).count == 2)
    }
}
