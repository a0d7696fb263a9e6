import DiffDubCore
import Foundation
import TestSupport
import Testing

/// ``MFCC`` against `python_speech_features.mfcc` (the sync fixture's `mfcc.npy`, computed from
/// the clip's int16 samples in `audio_int16.npy`), and its framing on edge lengths.
@Suite struct MFCCTests {
    @Test func matchesPythonSpeechFeaturesOnTheFixtureClip() throws {
        let samples = try Fixtures.tensor("sync/audio_int16.npy").scalars
        let expected = try Fixtures.tensor("sync/mfcc.npy")
        let mfcc = MFCC()
        let frames = mfcc.frameCount(samples: samples.count)
        #expect([mfcc.cepstrumCount, frames] == expected.shape)
        let actual = Tensor(shape: [mfcc.cepstrumCount, frames], scalars: mfcc.coefficients(samples))
        let scale = max(1, expected.scalars.map(abs).max() ?? 1)
        #expect(maxAbsDifference(actual, expected) / scale < 1e-4)
        // Elementwise relative check on the larger values too.
        var worst: Float = 0
        for (a, e) in zip(actual.scalars, expected.scalars) { worst = max(worst, abs(a - e) / max(1, abs(e))) }
        #expect(worst < 1e-4)
    }

    @Test func framesAsFramesigCountsThem() {
        let mfcc = MFCC()
        #expect(mfcc.windowLength == 400 && mfcc.hop == 160 && mfcc.fftSize == 512)
        #expect(mfcc.frameCount(samples: 1) == 1)
        #expect(mfcc.frameCount(samples: 400) == 1)
        #expect(mfcc.frameCount(samples: 401) == 2)
        #expect(mfcc.frameCount(samples: 560) == 2)
        #expect(mfcc.frameCount(samples: 561) == 3)
        #expect(mfcc.frameCount(samples: 48000) == 299)
    }

    @Test func silenceGivesTheLogOfEpsilonNotInfinity() {
        let values = MFCC().coefficients([Float](repeating: 0, count: 1000))
        #expect(values.allSatisfy { $0.isFinite })
        #expect(abs(values[0] - Float(log(Double.ulpOfOne))) < 1e-3)
    }
}
