import DiffDubCore
import Foundation
import TestSupport
import Testing

/// ``SyncNet`` on random weights: the key layout of `SyncNetModel.S`, windows computed in runs
/// equal to windows computed one by one, and inputs it cannot score.
@Suite struct SyncNetModelTests {
    static let model: (SyncNet, StateDict) = {
        let weights = WeightBinder(randomSeed: 27)
        let model = try! SyncNet(weights)
        return (model, weights.boundStateDict)
    }()

    /// A frame of seeded noise (`side` x `side`).
    static func frame(_ seed: UInt64, side: Int = 224) -> RGBImage {
        var generator = SplitMix64(seed: seed)
        return RGBImage(
            height: side, width: side, pixels: (0..<(side * side * 3)).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    @Test func keysAndShapesAreThoseOfSyncNetModelS() {
        let stateDict = Self.model.1
        // 4 parts; 6 convolutions with 5 tensors of norm each per stack, 2 linears and a norm per head.
        #expect(stateDict.count == 2 * 6 * (2 + 5) + 2 * (4 + 5))
        let expected: [String: [Int]] = [
            "netcnnaud.0.weight": [64, 1, 3, 3], "netcnnaud.18.weight": [512, 256, 5, 4],
            "netcnnaud.19.running_var": [512], "netfcaud.0.weight": [512, 512], "netfcaud.3.weight": [1024, 512],
            "netcnnlip.0.weight": [96, 3, 5, 7, 7], "netcnnlip.4.weight": [256, 96, 1, 5, 5],
            "netcnnlip.18.weight": [512, 256, 1, 6, 6], "netfclip.1.running_mean": [512],
            "netfclip.3.bias": [1024], "netcnnlip.1.num_batches_tracked": [],
        ]
        for (key, shape) in expected {
            #expect(stateDict[key]?.shape == shape, "\(key)")
        }
    }

    @Test func aStateDictOfAnotherShapeFailsNamingTheKey() throws {
        var stateDict = Self.model.1
        stateDict.set(TensorRecord(Tensor(zeros: [512, 512])), forKey: "netfclip.3.weight")
        #expect {
            try SyncNet(stateDict: stateDict)
        } throws: { error in
            "\(error.localizedDescription)".contains("netfclip.3.weight")
        }
        var extra = Self.model.1
        extra.set(TensorRecord(Tensor(zeros: [1])), forKey: "netcnnlip.21.weight")
        #expect {
            try SyncNet(stateDict: extra)
        } throws: { error in
            "\(error.localizedDescription)".contains("netcnnlip.21.weight")
        }
    }

    @Test func windowsInARunEqualWindowsOneByOne() {
        let syncNet = Self.model.0
        let frames = (0..<8).map { Self.frame(UInt64($0)) }
        let together = syncNet.lipEmbeddings(frames: frames, windows: 4)
        #expect(together.shape == [4, SyncNet.embeddingWidth])
        for window in [0, 3] {
            let alone = syncNet.lipEmbeddings(frames: Array(frames[window..<(window + 5)]), windows: 1)
            expectRelativelyClose(slice(together, axis: 0, window..<(window + 1)), alone, 1e-5)
        }
    }

    @Test func audioWindowsStepFourMFCCFrames() {
        let syncNet = Self.model.0
        var generator = SplitMix64(seed: 9)
        let samples = (0..<(640 * 12)).map { _ in Float.random(in: -3000...3000, using: &generator) }
        let all = syncNet.audioEmbeddings(samples: samples, windows: 7)
        #expect(all.shape == [7, SyncNet.embeddingWidth])
        // Window 2 is MFCC frames 8 ..< 28.
        let direct = slice(all, axis: 0, 2..<3)
        let mfcc = MFCC()
        let coefficients = mfcc.coefficients(samples)
        let frames = mfcc.frameCount(samples: samples.count)
        var window = [Float]()
        for r in 0..<13 { window += coefficients[(r * frames + 8)..<(r * frames + 28)] }
        let expected = syncNet.audioEmbeddings(mfccWindows: Tensor(shape: [1, 1, 13, 20], scalars: window))
        expectRelativelyClose(direct, expected, 1e-5)
    }

    @Test func inputsItCannotScoreThrowOneLine() {
        let syncNet = Self.model.0
        let frames = (0..<6).map { _ in Self.frame(1) }
        let speech = [Float](repeating: 100, count: 640 * 10)
        #expect(throws: SyncNetError.tooFewFrames(found: 5, needed: 6)) {
            try syncNet.evaluate(frames: Array(frames.prefix(5)), samples: speech)
        }
        #expect(throws: SyncNetError.audioTooShort(seconds: 0.2, needed: 0.24)) {
            try syncNet.evaluate(frames: frames, samples: Array(speech.prefix(3200)))
        }
        var wrong = frames
        wrong[4] = Self.frame(2, side: 112)
        #expect(throws: SyncNetError.frameSize(index: 4, width: 112, height: 112)) {
            try syncNet.evaluate(frames: wrong, samples: speech)
        }
        for error in [
            SyncNetError.tooFewFrames(found: 5, needed: 6), .audioTooShort(seconds: 0.2, needed: 0.24),
            .frameSize(index: 4, width: 112, height: 112), .sampleRate(found: 44100),
        ] {
            #expect(!error.description.contains("\n") && !error.description.isEmpty)
        }
    }

    @Test func oneWindowIsScored() throws {
        let frames = (0..<6).map { Self.frame(UInt64(40 + $0)) }
        var generator = SplitMix64(seed: 4)
        let speech = (0..<3840).map { _ in Float.random(in: -3000...3000, using: &generator) }
        let scores = try Self.model.0.evaluate(frames: frames, samples: speech)
        #expect(scores.windows == 1)
        #expect(scores.distances[0].count == 31)
        #expect(scores.minDistance.isFinite && scores.confidence >= 0)
    }

    @Test func pcm16ScaleRoundsAndClipsAsFFmpeg() {
        #expect(SyncNet.pcm16Scaled([0, 0.5, -1, 1, 1.5, 1.5 / 32768, 2.5 / 32768]) == [0, 16384, -32768, 32767, 32767, 2, 2])
    }
}

/// `max |a - b| <= tolerance * max(1, max |b|)`, shapes equal.
func expectRelativelyClose(
    _ actual: Tensor, _ expected: Tensor, _ tolerance: Float, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.shape == expected.shape, sourceLocation: sourceLocation)
    let magnitude = expected.scalars.reduce(Float(1)) { max($0, abs($1)) }
    let difference = maxAbsDifference(actual, expected)
    #expect(difference <= tolerance * magnitude, "difference \(difference), magnitude \(magnitude)", sourceLocation: sourceLocation)
}
