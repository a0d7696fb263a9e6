import DiffDubCore
import Foundation
import TestSupport
import Testing

/// ``SyncScorer``: frames fed one at a time give the scores of the array path bit for bit
/// (the batches of ``SyncNet/lipEmbeddings(frames:windows:)``), holding at most 21 frames.
@Suite struct SyncScorerTests {
    /// What the array path computes: every frame in memory, lip embeddings in batches of 16.
    static func arrayScores(_ syncNet: SyncNet, frames: [RGBImage], samples: [Float]) -> SyncScores {
        let windows = SyncNet.windowCount(frames: frames.count, samples: samples.count)
        return SyncScores(
            lipEmbeddings: syncNet.lipEmbeddings(frames: frames, windows: windows),
            audioEmbeddings: syncNet.audioEmbeddings(samples: samples, windows: windows))
    }

    /// `count` samples of seeded noise on the int16 scale.
    static func speech(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in Float.random(in: -3000...3000, using: &generator).rounded() }
    }

    /// 37 frames (32 windows: two whole batches, none left at the end) and 40 frames against
    /// 28 frames of audio (23 windows: a batch and 7, the frames past the audio never held).
    @Test(arguments: [(37, 37 * 640 + 100), (40, 28 * 640 + 639)])
    func streamedFramesScoreAsTheArrayBitForBit(frameCount: Int, sampleCount: Int) throws {
        let syncNet = SyncNetModelTests.model.0
        let samples = Self.speech(sampleCount, seed: UInt64(frameCount))
        var scorer = SyncScorer(syncNet, sampleCount: samples.count)
        var frames: [RGBImage] = []  // kept by the test only, for the array path
        for i in 0..<frameCount {
            let frame = SyncNetModelTests.frame(UInt64(100 + i))
            frames.append(frame)
            scorer.append(frame)
            #expect(scorer.heldFrames <= SyncScorer.heldFrameLimit)
        }
        #expect(scorer.frameCount == frameCount)
        #expect(scorer.peakHeldFrames == SyncScorer.heldFrameLimit)
        #expect(SyncScorer.heldFrameLimit == 21)
        let streamed = try scorer.scores(samples: samples)
        let expected = Self.arrayScores(syncNet, frames: frames, samples: samples)
        #expect(streamed.windows == SyncNet.windowCount(frames: frameCount, samples: sampleCount))
        #expect(streamed == expected)
        #expect(try syncNet.evaluate(frames: frames, samples: samples) == expected)
    }

    /// The errors of the array path, in its order: too few frames, then too little audio, then
    /// the first frame of another size (also past the audio's end).
    @Test func errorsComeInTheArrayPathsOrder() {
        let syncNet = SyncNetModelTests.model.0
        let frame = SyncNetModelTests.frame(1)
        let small = SyncNetModelTests.frame(2, side: 112)
        func fed(_ frames: [RGBImage], samples: Int) -> SyncScorer {
            var scorer = SyncScorer(syncNet, sampleCount: samples)
            for frame in frames { scorer.append(frame) }
            return scorer
        }
        let five = fed([frame, frame, small, frame, frame], samples: 3000)
        #expect(throws: SyncNetError.tooFewFrames(found: 5, needed: 6)) { try five.scores(samples: [Float](repeating: 0, count: 3000)) }
        let shortAudio = fed([frame, frame, small, frame, frame, frame], samples: 3200)
        #expect(throws: SyncNetError.audioTooShort(seconds: 0.2, needed: 0.24)) {
            try shortAudio.scores(samples: [Float](repeating: 0, count: 3200))
        }
        let pastAudio = fed([frame, frame, frame, frame, frame, frame, frame, small], samples: 6 * 640)
        #expect(pastAudio.heldFrames == 0)
        #expect(throws: SyncNetError.frameSize(index: 7, width: 112, height: 112)) {
            try pastAudio.scores(samples: [Float](repeating: 0, count: 6 * 640))
        }
    }
}
