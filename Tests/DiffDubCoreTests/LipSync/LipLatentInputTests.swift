import DiffDubCore
import TestSupport
import Testing

/// Input layouts, batches and the errors for inputs stage 2 cannot take.
@Suite struct LipLatentInputTests {
    let predictor: LipLatentPredictor
    let config = LipSyncTestModels.small

    init() throws { predictor = try LipSyncTestModels.predictor() }

    @Test(arguments: [1, 2, 3, 8, 37])
    func producesOneLatentPerTwoHubertFrames(frames: Int) throws {
        let out = try predictor.predict(
            hubert: LipSyncTestModels.hubert(frames: frames), reference: LipSyncTestModels.reference(count: 1))
        #expect(out.shape == [(frames + 1) / 2, config.latentWidth])
        #expect(out.scalars.allSatisfy { $0.isFinite })
    }

    @Test func batchEqualsOneSequenceAtATime() throws {
        let hubert = LipSyncTestModels.hubert(batch: 3, frames: 11)
        let shared = LipSyncTestModels.reference(count: 6)
        let perSequence = LipSyncTestModels.reference(batch: 3, count: 6, seed: 21)
        let sharedOut = try predictor.predict(hubert: hubert, reference: shared)
        let perSequenceOut = try predictor.predict(hubert: hubert, reference: perSequence)
        #expect(sharedOut.shape == [3, 6, config.latentWidth])
        for b in 0..<3 {
            let one = slice(hubert, axis: 0, b..<(b + 1))
            let alone = try predictor.predict(hubert: one, reference: shared)
            #expect(maxAbsDifference(slice(sharedOut, axis: 0, b..<(b + 1)), alone) <= 1e-5)
            let own = try predictor.predict(hubert: one, reference: slice(perSequence, axis: 0, b..<(b + 1)))
            #expect(maxAbsDifference(slice(perSequenceOut, axis: 0, b..<(b + 1)), own) <= 1e-5)
        }
        // A different reference set must change the result (the cross-attention is not ignored).
        #expect(maxAbsDifference(sharedOut, perSequenceOut) > 1e-3)
    }

    @Test func batchAxisOfTheInputIsKept() throws {
        let hubert = LipSyncTestModels.hubert(frames: 9)
        let reference = LipSyncTestModels.reference(count: 4)
        let plain = try predictor.predict(hubert: hubert, reference: reference)
        let batched = try predictor.predict(
            hubert: hubert.reshaped([1] + hubert.shape), reference: reference.reshaped([1] + reference.shape))
        #expect(plain.shape == [5, config.latentWidth])
        #expect(batched.shape == [1, 5, config.latentWidth])
        #expect(maxAbsDifference(plain.reshaped([1, 5, config.latentWidth]), batched) == 0)
    }

    @Test func encodedReferenceIsReusable() throws {
        let reference = LipSyncTestModels.reference(count: 5)
        let encoded = try predictor.encodeReference(reference)
        #expect(encoded.count == 5 && encoded.batchSize == 1)
        for frames in [4, 13] {
            let hubert = LipSyncTestModels.hubert(frames: frames)
            let direct = try predictor.predict(hubert: hubert, reference: reference)
            #expect(maxAbsDifference(try predictor.predict(hubert: hubert, encodedReference: encoded), direct) == 0)
        }
    }

    @Test func rejectsALastLayerOnlyArray() throws {
        let error = try #require(throws: LipSyncError.self) {
            try predictor.predict(
                hubert: Tensor(zeros: [10, config.audioWidth]), reference: LipSyncTestModels.reference(count: 2))
        }
        #expect(error == .hubertLastLayerOnly(shape: [10, config.audioWidth], layers: 25))
        #expect(error.description.contains("all 25 hidden states"))
        #expect(!error.concernsReference)
    }

    @Test func rejectsMalformedHubertFeatures() {
        let reference = LipSyncTestModels.reference(count: 2)
        let cases: [([Int], LipSyncError)] = [
            ([config.audioWidth], .hubertRank(shape: [config.audioWidth], layers: 25, width: config.audioWidth)),
            (
                [1, 1, 25, 4, config.audioWidth],
                .hubertRank(shape: [1, 1, 25, 4, config.audioWidth], layers: 25, width: config.audioWidth)
            ),
            (
                [24, 4, config.audioWidth],
                .hubertLayerCount(shape: [24, 4, config.audioWidth], found: 24, expected: 25)
            ),
            ([1, 4, config.audioWidth], .hubertLayerCount(shape: [1, 4, config.audioWidth], found: 1, expected: 25)),
            ([25, 4, 1024], .hubertWidth(shape: [25, 4, 1024], found: 1024, expected: config.audioWidth)),
            ([25, 0, config.audioWidth], .emptyHubert(shape: [25, 0, config.audioWidth])),
            ([0, 25, 3, config.audioWidth], .emptyHubert(shape: [0, 25, 3, config.audioWidth])),
        ]
        for (shape, expected) in cases {
            #expect(throws: expected) { try predictor.predict(hubert: Tensor(zeros: shape), reference: reference) }
        }
    }

    @Test func rejectsMalformedReferences() {
        let hubert = LipSyncTestModels.hubert(frames: 4)
        let width = config.latentWidth
        let cases: [([Int], LipSyncError)] = [
            ([width], .referenceRank(shape: [width], width: width)),
            ([1, 1, 3, width], .referenceRank(shape: [1, 1, 3, width], width: width)),
            ([3, 512], .referenceWidth(shape: [3, 512], found: 512, expected: width)),
            ([0, width], .emptyReference(shape: [0, width])),
            ([1, 0, width], .emptyReference(shape: [1, 0, width])),
        ]
        for (shape, expected) in cases {
            #expect(throws: expected) { try predictor.predict(hubert: hubert, reference: Tensor(zeros: shape)) }
            #expect(expected.concernsReference)
        }
    }

    @Test func rejectsMismatchedBatches() {
        #expect(throws: LipSyncError.batchMismatch(hubert: 2, reference: 3)) {
            try predictor.predict(
                hubert: LipSyncTestModels.hubert(batch: 2, frames: 4),
                reference: LipSyncTestModels.reference(batch: 3, count: 2))
        }
    }
}
