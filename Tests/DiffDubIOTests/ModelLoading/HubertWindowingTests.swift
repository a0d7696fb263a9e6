import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// Long-audio windowing: the plan tiles the frames, and the stitched features have the
/// whole pass's frame count and, where the model is local, its values.
///
/// With random weights attention is global, so windowed and whole transformer states differ
/// by design; what must agree exactly is (a) everything when one window covers the input and
/// (b) hidden state 0 in the large layout, which is local (convolutions, per-frame LayerNorm,
/// the positional convolution of half-width 8 frames) as long as the context is >= 8 frames.
/// (The plan's tiling is tested in DiffDubCoreTests/Speech/HubertWindowingTests.swift.)
@Suite struct HubertWindowingTests {
    func model() throws -> HubertModel {
        var model = try HubertModel(modelFolder: Fixtures.url("hubert/large"))
        model.hiddenStateConvention = .transformers5
        return model
    }

    @Test func oneWindowLargerThanTheInputEqualsTheWholePass() throws {
        let model = try model()
        let wav = try Fixtures.tensor("hubert/large/case0_wav.npy").scalars
        let whole = try HubertFeatureExtractor(model: model).features(samples: wav, sampleRate: 16000)
        let windowed = try HubertFeatureExtractor(
            model: model, windowing: HubertWindowing(maximumWholeFrames: 10, windowFrames: 100, contextFrames: 8)
        ).features(samples: wav, sampleRate: 16000)
        #expect(maxAbsDifference(whole, windowed) == 0)
    }

    @Test(arguments: [(7, 8), (16, 8), (20, 12)])
    func stitchedWindowsHaveTheWholeFramesAndLocalState(windowFrames: Int, contextFrames: Int) throws {
        let model = try model()
        let wav = try Fixtures.tensor("hubert/large/case0_wav.npy").scalars
        let whole = try HubertFeatureExtractor(model: model).features(samples: wav, sampleRate: 16000)
        let windowing = HubertWindowing(
            maximumWholeFrames: 10, windowFrames: windowFrames, contextFrames: contextFrames)
        #expect(windowing.windows(frameCount: 49).count == (49 + windowFrames - 1) / windowFrames)
        let windowed = try HubertFeatureExtractor(model: model, windowing: windowing)
            .features(samples: wav, sampleRate: 16000)
        #expect(windowed.shape == whole.shape)
        let state0 = { (t: Tensor) in slice(t, axis: 0, 0..<1) }
        #expect(maxAbsDifference(state0(windowed), state0(whole)) <= 1e-5)
        // The repeated last frame is the last computed frame.
        let frames = windowed.shape[1]
        #expect(
            maxAbsDifference(
                slice(windowed, axis: 1, (frames - 1)..<frames), slice(windowed, axis: 1, (frames - 2)..<(frames - 1)))
                == 0)
        // Deeper states are finite (they differ from the whole pass: attention is global).
        #expect(windowed.scalars.allSatisfy { $0.isFinite })
    }

    /// 45 s (2249 frames) with the default policy: 3 windows of up to 20 s with 5 s context;
    /// the result has the whole pass's shape and its local state.
    @Test func defaultWindowingOnLongAudio() throws {
        let model = try model()
        var generator = SeededGenerator(seed: 11)
        let audio = Tensor.random([45 * 16000], in: -0.5...0.5, using: &generator).scalars
        #expect(HubertWindowing().windows(frameCount: 2249).count == 3)
        let windowed = try HubertFeatureExtractor(model: model).features(samples: audio, sampleRate: 16000)
        let whole = try HubertFeatureExtractor(model: model, windowing: HubertWindowing(maximumWholeFrames: 10_000))
            .features(samples: audio, sampleRate: 16000)
        #expect(windowed.shape == [4, 2250, 64])
        #expect(whole.shape == windowed.shape)
        #expect(maxAbsDifference(slice(windowed, axis: 0, 0..<1), slice(whole, axis: 0, 0..<1)) <= 1e-5)
    }

    @Test func tooShortAudioThrows() throws {
        let extractor = HubertFeatureExtractor(model: try model())
        #expect(throws: HubertError.self) {
            try extractor.features(samples: Array(repeating: 0.1, count: 399), sampleRate: 16000)
        }
        #expect(throws: HubertError.self) {
            try extractor.features(samples: Array(repeating: 0.1, count: 16000), sampleRate: 0)
        }
    }
}
