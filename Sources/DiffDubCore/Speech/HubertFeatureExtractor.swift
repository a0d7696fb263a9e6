/// Speech -> DiffDub's Hubert features, in the library: what the original's separate
/// preprocessing script (`extract_audio_features.py`) computes.
///
/// Pipeline: samples at any rate -> `BandLimitedResampler` to 16 kHz ->
/// `WaveformNormalization` (zero mean, unit variance) -> ``HubertModel`` (whole, or in
/// overlapping windows per ``HubertWindowing`` for long audio) -> all hidden states stacked
/// `[layers + 1, T, hidden]` -> the last frame repeated once: `[layers + 1, T + 1, hidden]`
/// (`[25, T + 1, 1024]` for `chinese-hubert-large`, 50 frames per second).
///
/// Loading from an HF model folder and reading audio files live in DiffDubIO
/// (`HubertFeatureExtractor(modelFolder:)`, `features(forAudioAt:)`).
public struct HubertFeatureExtractor: Sendable {
    /// The sample rate the model expects.
    package static let modelSampleRate = 16000

    /// The encoder.
    package let model: HubertModel
    /// How long audio is split.
    package var windowing: HubertWindowing

    /// An extractor around `model`.
    public init(model: HubertModel, windowing: HubertWindowing = HubertWindowing()) {
        self.model = model
        self.windowing = windowing
    }

    /// The model input for mono `samples` at `sampleRate`: resampled to 16 kHz, normalised.
    package func inputValues(samples: [Float], sampleRate: Int) throws -> [Float] {
        let resampler = try BandLimitedResampler(
            inputRate: sampleRate, outputRate: Self.modelSampleRate)
        return WaveformNormalization.zeroMeanUnitVariance(resampler(samples))
    }

    /// All hidden states stacked, `[layers + 1, T, hidden]`, for normalised 16 kHz input
    /// values, computed whole or window by window (see ``windowing``).
    package func hiddenStates(inputValues: [Float]) throws -> Tensor {
        try stackedStates(inputValues: inputValues, repeatingLastFrame: false)
    }

    /// DiffDub's features `[layers + 1, T + 1, hidden]` for mono `samples` at `sampleRate`:
    /// `hiddenStates(inputValues:)` with the last frame repeated once.
    ///
    /// - Throws: `HubertError` when the rate is invalid or the audio yields no frame
    ///   (shorter than 25 ms).
    public func features(samples: [Float], sampleRate: Int) throws -> Tensor {
        let values = try inputValues(samples: samples, sampleRate: sampleRate)
        guard model.configuration.frameCount(forSampleCount: values.count) > 0 else {
            throw HubertError.audioTooShort(
                samples: samples.count, sampleRate: sampleRate,
                minimumSamples: model.configuration.receptiveField)
        }
        return try stackedStates(inputValues: values, repeatingLastFrame: true)
    }

    /// Runs the windows and assembles `[layers + 1, T (+ 1), hidden]` in one concatenation
    /// (the pieces are flattened, ordered layer by layer, window by window).
    private func stackedStates(inputValues: [Float], repeatingLastFrame: Bool) throws -> Tensor {
        let configuration = model.configuration
        let frameCount = configuration.frameCount(forSampleCount: inputValues.count)
        guard frameCount > 0 else {
            throw HubertError.audioTooShort(
                samples: inputValues.count, sampleRate: Self.modelSampleRate,
                minimumSamples: configuration.receptiveField)
        }
        let hop = configuration.frameHop
        let field = configuration.receptiveField
        let layerCount = configuration.numHiddenLayers + 1
        var pieces = [[Tensor]](repeating: [], count: layerCount)
        for window in windowing.windows(frameCount: frameCount) {
            let start = window.context.lowerBound * hop
            // A window reaching the last frame takes every remaining sample: in the group
            // layout the first layer's GroupNorm averages over all of them.
            let end =
                window.context.upperBound == frameCount
                ? inputValues.count : (window.context.upperBound - 1) * hop + field
            let chunk = Tensor(shape: [end - start], scalars: Array(inputValues[start..<end]))
            let states = try model.hiddenStates(inputValues: chunk)
            guard states.count == layerCount, states[0].shape[0] == window.context.count else {
                throw HubertError.invalidInput(
                    "window of \(end - start) samples gave \(states.first?.shape[0] ?? 0) frames, "
                        + "expected \(window.context.count)")
            }
            let offset = window.context.lowerBound
            let core = (window.core.lowerBound - offset)..<(window.core.upperBound - offset)
            for (layer, state) in states.enumerated() {
                let kept = core == 0..<state.shape[0] ? state : slice(state, axis: 0, core)
                pieces[layer].append(kept.reshaped([-1]))
            }
        }
        let hidden = configuration.hiddenSize
        if repeatingLastFrame {
            for layer in pieces.indices {
                if let last = pieces[layer].last {
                    pieces[layer].append(slice(last, axis: 0, (last.count - hidden)..<last.count))
                }
            }
        }
        let frames = frameCount + (repeatingLastFrame ? 1 : 0)
        return concat(pieces.flatMap { $0 }, axis: 0).reshaped([layerCount, frames, hidden])
    }
}
