import DiffDubCore
import TestSupport
import Testing

/// The released model's sizes (random weights): 10 s of speech runs and stays finite.
@Suite struct ReleasedSizeTests {
    @Test func tenSecondsOfSpeechAtReleasedSize() throws {
        let configuration = LipLatentPredictorConfiguration.released
        let predictor = try LipSyncTestModels.predictor(configuration, seed: 2024)
        #expect(predictor.configuration == configuration)
        let hubert = LipSyncTestModels.hubert(frames: 500, configuration: configuration)
        let reference = LipSyncTestModels.reference(count: 75, configuration: configuration)
        let out = try predictor.predict(hubert: hubert, reference: reference)
        #expect(out.shape == [250, 512])
        let values = out.scalars
        #expect(values.allSatisfy { $0.isFinite })
        let mean = values.reduce(0, +) / Float(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)
        #expect(variance > 0.01, "released-size output is degenerate (variance \(variance))")
    }
}
