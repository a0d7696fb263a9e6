import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// `features(forAudioAt:)`: reading, mono mix-down and resampling before the model.
@Suite struct HubertAudioFileTests {
    func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("hubert-\(UUID())-\(name)")
    }

    func extractor() throws -> HubertFeatureExtractor {
        var model = try HubertModel(modelFolder: Fixtures.url("hubert/large"))
        model.hiddenStateConvention = .transformers5
        return HubertFeatureExtractor(model: model)
    }

    /// The fixture's 16 kHz waveform as a stereo float WAV (left = right) gives the fixture's
    /// features: the mix-down and the 16 kHz pass-through change nothing.
    @Test func stereoSixteenKilohertzFileMatchesTheFixture() throws {
        let wav = try Fixtures.tensor("hubert/large/case0_wav.npy").scalars
        let url = temporaryURL("stereo.wav")
        defer { try? FileManager.default.removeItem(at: url) }
        let interleaved = wav.flatMap { [$0, $0] }
        try AudioFile.write(
            AudioClip(samples: interleaved, channels: 2, sampleRate: 16000), to: url, encoding: .float32)

        let features = try extractor().features(forAudioAt: url)
        let expected = try Fixtures.tensor("hubert/large/case0_features.npy")
        #expect(features.shape == expected.shape)
        #expect(maxAbsDifference(features, expected) <= 2e-3)
    }

    /// A 44.1 kHz file is resampled first: 1 s gives 16000 samples, 49 frames + the repeat.
    @Test func otherRatesAreResampled() throws {
        let rate = 44100
        let samples = (0..<rate).map { Float(0.4 * sin(2 * Double.pi * 300 * Double($0) / Double(rate))) }
        let url = temporaryURL("tone.wav")
        defer { try? FileManager.default.removeItem(at: url) }
        try AudioFile.write(AudioClip(samples: samples, channels: 1, sampleRate: rate), to: url, encoding: .float32)
        let extractor = try extractor()
        let fromFile = try extractor.features(forAudioAt: url)
        #expect(fromFile.shape == [4, 50, 64])
        let fromSamples = try extractor.features(samples: samples, sampleRate: rate)
        #expect(maxAbsDifference(fromFile, fromSamples) <= 1e-6)
    }

    @Test func unreadableFileThrows() throws {
        let url = temporaryURL("not-audio.wav")
        try Data("not audio".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: (any Error).self) { try extractor().features(forAudioAt: url) }
    }
}
