import DiffDubCore
import Foundation

/// The end-to-end demo: the bundled synthetic sample (`Samples/synthetic`) dubbed with small
/// random-weight models, a generated tone as the speech, written as an MP4 (or PNG frames).
///
/// It exercises every step of the real pipeline (landmark masks, lip crops, semantic
/// encoder, stage 2, DDIM inpainting, paste-back, H.264/AAC muxing) in seconds, but the
/// weights are random: the mouth region fills with noise-like texture and there is no
/// lip-sync. Use the released checkpoints with `diffdub dub` for real results.
package enum DubbingDemo {
    /// The renderer configuration of the demo: 64 x 64 images, 32 channels.
    package static let rendererConfiguration = RendererConfiguration(
        imageSize: 64,
        unet: UNetConfiguration(
            inChannels: 6, outChannels: 3, modelChannels: 32, channelMultipliers: [1, 2, 2, 2],
            resBlocksPerLevel: 2, attentionLevels: [2], embedChannels: 64, styleChannels: 64),
        encoder: SemanticEncoderConfiguration(
            inChannels: 3, modelChannels: 32, channelMultipliers: [1, 2, 2, 2, 2],
            resBlocksPerLevel: 2, attentionLevels: [2], outChannels: 64))

    /// The stage-2 configuration of the demo: 32-wide "Hubert" features, 64-wide latents.
    package static let predictorConfiguration = LipLatentPredictorConfiguration(audioWidth: 32, latentWidth: 64)

    /// Small models with random weights drawn from `seed`.
    package static func randomModels(seed: UInt64 = 0) throws -> Dubber {
        let renderer = try Renderer(WeightBinder(randomSeed: seed), configuration: rendererConfiguration)
        let predictor = try LipLatentPredictor(
            WeightBinder(randomSeed: seed &+ 1), configuration: predictorConfiguration)
        return try Dubber(renderer: renderer, lipPredictor: predictor)
    }

    /// Runs the demo on the sample folder (`frames/` and `landmarks/` inside) and writes
    /// `output` (`.mp4`, or a folder of PNG frames), replacing an existing output only when
    /// `overwrite` (``DubbingRequest/overwrite``). The generated speech features and tone are
    /// written to a temporary folder that is removed afterwards.
    package static func run(
        sample: URL, output: URL, steps: Int = 20, seed: UInt64 = 0, overwrite: Bool = false,
        progress: ProgressHandler? = nil
    ) async throws -> DubbingSummary {
        let frames = sample.appendingPathComponent("frames")
        let landmarks = sample.appendingPathComponent("landmarks")
        let folder = try FrameFolder(frames)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("diffdub-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        // Speech: 40 ms per frame; features at 50 Hz (two per frame), a tone as the audio.
        let hubertURL = work.appendingPathComponent("speech.npy")
        var generator = SplitMix64(seed: seed &+ 2)
        let t = 2 * folder.count
        let width = predictorConfiguration.audioWidth
        let features = Tensor(
            shape: [predictorConfiguration.hubertLayers, t, width],
            scalars: (0..<(predictorConfiguration.hubertLayers * t * width)).map { _ in generator.nextSignedUnitFloat() })
        try NumPyFile.write(features, to: hubertURL)
        let audioURL = work.appendingPathComponent("speech.wav")
        try AudioFile.write(tone(seconds: Double(folder.count) / 25), to: audioURL)

        let request = DubbingRequest(
            models: .loaded(try randomModels(seed: seed)), frames: .frameFolder(frames), landmarks: .file(landmarks),
            speech: .hubertFeatures(hubertURL), audio: audioURL, noise: .seed(seed),
            options: DubbingOptions(steps: steps, batchSize: 2), output: .path(output), overwrite: overwrite)
        return try await request.run(progress: progress)
    }

    /// A 16 kHz mono tone with a syllable-like amplitude envelope.
    static func tone(seconds: Double) -> AudioClip {
        let rate = 16000
        let n = Int(seconds * Double(rate))
        let samples = (0..<n).map { i -> Float in
            let t = Double(i) / Double(rate)
            let envelope = 0.5 * (1 - cos(2 * Double.pi * 4 * t))
            return Float(0.3 * envelope * sin(2 * Double.pi * 220 * t))
        }
        return AudioClip(samples: samples, channels: 1, sampleRate: rate)
    }
}
