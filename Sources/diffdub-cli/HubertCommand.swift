import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `diffdub hubert --model DIR --audio A.wav --output H.npy`: speech -> DiffDub's Hubert features.
struct HubertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubert",
        abstract: "Compute DiffDub's Hubert speech features ([25, T, 1024] .npy) from an audio file.",
        discussion: """
            Replaces the original's separate preprocessing repository. The audio (any format \
            libsndfile reads: WAV, FLAC, OGG, ...) is mixed to mono, resampled to 16 kHz with a \
            band-limited (Kaiser-windowed sinc) resampler, normalised to zero mean and unit \
            variance, and run through the Hubert model of an HF model folder (config.json and \
            pytorch_model.bin or model.safetensors, e.g. TencentGameMate/chinese-hubert-large). \
            All hidden states are stacked and the last frame repeated once: [layers + 1, T + 1, \
            hidden] at 50 frames per second. Audio longer than --whole-seconds is processed in \
            overlapping windows (see Docs/SPEECH.md).

            Examples:
              diffdub hubert --model chinese-hubert-large --audio speech.wav --output speech_hubert.npy
              diffdub hubert --model chinese-hubert-large --audio lecture.flac --output lecture.npy --whole-seconds 60
            """)

    @Option(
        help: "HF Hubert model folder (config.json + pytorch_model.bin or model.safetensors).", completion: .directory)
    var model: String

    @Option(help: "Input audio file.", completion: .file())
    var audio: String

    @Option(help: "Output .npy file (float32 [layers + 1, T + 1, hidden]).", completion: .file(extensions: ["npy"]))
    var output: String

    @Option(
        help:
            "Longest audio (seconds) run through the model in one piece; longer audio uses 20 s windows with 5 s context."
    )
    var wholeSeconds: Double = 30

    @Flag(
        help:
            "Report the last layer's output before the final LayerNorm as the last state (transformers 5), instead of after it (transformers 4, what DiffDub was trained with)."
    )
    var transformers5LastState = false

    @Flag(help: overwriteHelp)
    var overwrite = false

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(model): no such model folder")
        }
        guard FileManager.default.fileExists(atPath: audio, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ValidationError("\(audio): no such audio file")
        }
        guard output.hasSuffix(".npy") else { throw ValidationError("\(output): the output must be a .npy file") }
        guard wholeSeconds >= 1 else { throw ValidationError("--whole-seconds must be at least 1") }
    }

    func run() throws {
        try checkOutput(output, inputs: [("model folder", model), ("audio", audio)], overwrite: overwrite)
        // The tuned compute settings (threads, buffer pool) for every model call below.
        try ComputeSettings().run { try runModels() }
    }

    private func runModels() throws {
        var hubert = try HubertModel(modelFolder: URL(fileURLWithPath: model), limits: .ofThisCommand)
        hubert.hiddenStateConvention = transformers5LastState ? .transformers5 : .transformers4
        let framesPerSecond = Double(HubertFeatureExtractor.modelSampleRate) / Double(hubert.configuration.frameHop)
        let extractor = HubertFeatureExtractor(
            model: hubert, windowing: HubertWindowing(maximumWholeFrames: Int(wholeSeconds * framesPerSecond)))
        let features = try extractor.features(forAudioAt: URL(fileURLWithPath: audio), limits: .ofThisCommand)
        try NumPyFile.write(features, to: URL(fileURLWithPath: output))
        print("\(output): \(features.shape)")
    }
}
