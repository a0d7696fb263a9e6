import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// Stage 2 against the original (espnet 202308 + DiffDub) on the `stage2/` fixtures.
@Suite struct LipLatentParityTests {
    /// The manifest's tolerance (max abs error on every intermediate).
    static let tolerance: Float = 1e-4

    static func predictor(_ file: String = "stage2/stage2.ckpt") throws -> LipLatentPredictor {
        try LipLatentPredictor(checkpoint: Fixtures.url(file))
    }

    @Test func infersTheFixtureConfigurationFromShapes() throws {
        let manifest = try Fixtures.json("stage2/manifest.json")
        let config = try #require(manifest["config"] as? [String: Any])
        let blocks = try #require(config["blocks"] as? [String: Int])
        let configuration = try Self.predictor().configuration
        #expect(configuration.audioWidth == config["audio_dim"] as? Int)
        #expect(configuration.latentWidth == config["latent_dim"] as? Int)
        #expect(configuration.attentionHeads == config["conformer_heads"] as? Int)
        #expect(configuration.crossAttentionHeads == config["cross_attention_heads"] as? Int)
        #expect(configuration.convolutionKernelSize == config["cnn_module_kernel"] as? Int)
        #expect(configuration.hubertLayers == config["hubert_layers"] as? Int)
        #expect(configuration.referenceEncoderBlocks == blocks["reference_encoder"])
        #expect(configuration.speechEncoderBlocks == blocks["speech_encoder"])
        #expect(configuration.coarseDecoderBlocks == blocks["coarse_decoder"])
        #expect(configuration.linearUnits == 64)
    }

    @Test func matchesEveryIntermediateOfTheOriginal() throws {
        let predictor = try Self.predictor()
        let trace = try predictor.trace(
            hubert: Fixtures.tensor("stage2/audio.npy"), reference: Fixtures.tensor("stage2/reference.npy"))
        let stages: [(String, Tensor)] = [
            ("weighted_sum", trace.weightedSum), ("downsampled", trace.downsampled),
            ("reference_encoded", trace.referenceEncoded), ("cross_attended", trace.crossAttended),
            ("speech_encoded", trace.speechEncoded), ("decoded", trace.decoded), ("out", trace.output),
        ]
        for (name, value) in stages {
            let expected = try Fixtures.tensor("stage2/\(name).npy")
            let error = maxAbsDifference(value, expected)
            #expect(
                error <= Self.tolerance, "\(name): max abs error \(error), shapes \(value.shape) vs \(expected.shape)")
        }
    }

    @Test func matchesTheSecondCase() throws {
        let predictor = try Self.predictor()
        let out = try predictor.predict(
            hubert: Fixtures.tensor("stage2/audio_b.npy"), reference: Fixtures.tensor("stage2/reference_b.npy"))
        let expected = try Fixtures.tensor("stage2/out_b.npy")
        #expect(out.shape == [1, 25, 64])
        #expect(maxAbsDifference(out, expected) <= Self.tolerance)
    }

    @Test(arguments: ["stage2/stage2.ckpt", "stage2/stage2_legacy.ckpt"])
    func loadsBothCheckpointFormats(file: String) throws {
        let predictor = try Self.predictor(file)
        let out = try predictor.predict(
            hubert: Fixtures.tensor("stage2/audio.npy"), reference: Fixtures.tensor("stage2/reference.npy"))
        #expect(maxAbsDifference(out, try Fixtures.tensor("stage2/out.npy")) <= Self.tolerance)
        let outB = try predictor.predict(
            hubert: Fixtures.tensor("stage2/audio_b.npy"), reference: Fixtures.tensor("stage2/reference_b.npy"))
        #expect(maxAbsDifference(outB, try Fixtures.tensor("stage2/out_b.npy")) <= Self.tolerance)
    }

    @Test func acceptsUnbatchedLayouts() throws {
        let predictor = try Self.predictor()
        let hubert = try Fixtures.tensor("stage2/audio.npy")
        let reference = try Fixtures.tensor("stage2/reference.npy")
        let out = try predictor.predict(
            hubert: hubert.reshaped([25, 37, 32]), reference: reference.reshaped([75, 64]))
        #expect(out.shape == [19, 64])
        #expect(maxAbsDifference(out, try Fixtures.tensor("stage2/out.npy").reshaped([19, 64])) <= Self.tolerance)
    }

    @Test func reusesAnEncodedReference() throws {
        let predictor = try Self.predictor()
        let encoded = try predictor.encodeReference(Fixtures.tensor("stage2/reference.npy"))
        #expect(
            maxAbsDifference(encoded.latents, try Fixtures.tensor("stage2/reference_encoded.npy")) <= Self.tolerance)
        let out = try predictor.predict(hubert: Fixtures.tensor("stage2/audio.npy"), encodedReference: encoded)
        #expect(maxAbsDifference(out, try Fixtures.tensor("stage2/out.npy")) <= Self.tolerance)
    }
}
