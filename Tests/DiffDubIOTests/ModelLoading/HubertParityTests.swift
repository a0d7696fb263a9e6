import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// Parity with HF transformers' `HubertModel` on the small random fixtures
/// (Tests/Fixtures/hubert/manifest.json): both layouts, both cases, both weight-norm namings.
///
/// The fixtures were written by transformers 5, whose last hidden state in the pre-norm
/// layout is the last layer's output *before* the final LayerNorm; the library's default
/// (`.transformers4`, what DiffDub's features were computed with) reports it after. Every
/// state is compared under `.transformers5`, and the default's last state is compared with
/// the encoder's final LayerNorm applied to the fixture's.
@Suite struct HubertParityTests {
    static let layouts = ["large", "base"]
    static let weightFiles = ["pytorch_model.bin", "pytorch_model_weight_g.bin"]

    func model(_ layout: String, _ weightFile: String) throws -> HubertModel {
        let folder = Fixtures.url("hubert/\(layout)")
        let configuration = try HubertConfiguration(contentsOf: folder.appendingPathComponent("config.json"))
        return try HubertModel(weightsAt: folder.appendingPathComponent(weightFile), configuration: configuration)
    }

    func state(_ t: Tensor, _ index: Int) -> Tensor {
        slice(t, axis: 0, index..<(index + 1)).reshaped(Array(t.shape.dropFirst()))
    }

    @Test(arguments: layouts, weightFiles)
    func featuresMatchTransformers(layout: String, weightFile: String) throws {
        var model = try model(layout, weightFile)
        model.hiddenStateConvention = .transformers5
        let extractor = HubertFeatureExtractor(model: model)
        for index in 0..<2 {
            let wav = try Fixtures.tensor("hubert/\(layout)/case\(index)_wav.npy")
            let expectedInput = try Fixtures.tensor("hubert/\(layout)/case\(index)_input_values.npy")
            let expected = try Fixtures.tensor("hubert/\(layout)/case\(index)_features.npy")

            let input = try extractor.inputValues(samples: wav.scalars, sampleRate: 16000)
            let inputError = maxAbsDifference(
                Tensor(shape: [input.count], scalars: input), expectedInput.reshaped([-1]))
            #expect(inputError <= 1e-4, "\(layout) case\(index) input values: max error \(inputError)")

            let features = try extractor.features(samples: wav.scalars, sampleRate: 16000)
            try #require(features.shape == expected.shape)
            for s in 0..<expected.shape[0] {
                let error = maxAbsDifference(state(features, s), state(expected, s))
                #expect(error <= 2e-3, "\(layout) case\(index) \(weightFile) hidden state \(s): max error \(error)")
            }
        }
    }

    @Test(arguments: layouts)
    func defaultConventionNormalisesTheLastPreNormState(layout: String) throws {
        let model = try model(layout, "pytorch_model.bin")
        #expect(model.hiddenStateConvention == .transformers4)
        let extractor = HubertFeatureExtractor(model: model)
        let wav = try Fixtures.tensor("hubert/\(layout)/case0_wav.npy")
        let expected = try Fixtures.tensor("hubert/\(layout)/case0_features.npy")
        let features = try extractor.features(samples: wav.scalars, sampleRate: 16000)
        try #require(features.shape == expected.shape)
        let last = expected.shape[0] - 1
        for s in 0..<last {
            #expect(maxAbsDifference(state(features, s), state(expected, s)) <= 2e-3)
        }
        let expectedLast =
            model.encoder.isPreNorm ? model.encoder.layerNorm(state(expected, last)) : state(expected, last)
        let error = maxAbsDifference(state(features, last), expectedLast)
        #expect(error <= 2e-3, "\(layout) last state: max error \(error)")
    }

    @Test func modelFolderLoadsAndChecksItsFiles() throws {
        let model = try HubertModel(modelFolder: Fixtures.url("hubert/large"))
        #expect(model.encoder.layers.count == 3)
        #expect(model.encoder.isPreNorm)
        let base = try HubertModel(modelFolder: Fixtures.url("hubert/base"))
        #expect(!base.encoder.isPreNorm)

        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("hubert-empty-\(UUID())")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: HubertModelFolderError.self) { try HubertModel(modelFolder: empty) }
    }

    @Test func mismatchedConfigurationIsRejected() throws {
        let folder = Fixtures.url("hubert/large")
        var configuration = try HubertConfiguration(contentsOf: folder.appendingPathComponent("config.json"))
        configuration.numHiddenLayers = 2  // the checkpoint has 3: layer 2's tensors are left over
        #expect(throws: WeightError.self) {
            try HubertModel(weightsAt: folder.appendingPathComponent("pytorch_model.bin"), configuration: configuration)
        }
    }
}

/// `model.safetensors` folders load like `pytorch_model.bin` ones (written here from the
/// fixture's older weight_g/weight_v file, so the rename applies to safetensors too).
@Suite struct HubertSafeTensorsFolderTests {
    @Test func safetensorsFolderGivesTheSameFeatures() throws {
        let source = Fixtures.url("hubert/base")
        let stateDict = try TorchCheckpoint.stateDict(
            contentsOf: source.appendingPathComponent("pytorch_model_weight_g.bin"))
        var tensors: [String: Tensor] = [:]
        for key in stateDict.keys { tensors[key] = try stateDict[key]?.load() }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hubert-st-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            at: source.appendingPathComponent("config.json"), to: folder.appendingPathComponent("config.json"))
        try SafeTensorsFile.write(tensors, to: folder.appendingPathComponent("model.safetensors"))

        let wav = try Fixtures.tensor("hubert/base/case1_wav.npy").scalars
        let fromSafeTensors = try HubertFeatureExtractor(modelFolder: folder).features(samples: wav, sampleRate: 16000)
        let fromTorch = try HubertFeatureExtractor(modelFolder: source).features(samples: wav, sampleRate: 16000)
        #expect(fromSafeTensors.shape == [4, 19, 64])
        #expect(maxAbsDifference(fromSafeTensors, fromTorch) == 0)
    }
}
