import DiffDubCore
import Foundation

/// A Hubert model folder (as downloaded from the Hugging Face hub) cannot be used.
package enum HubertModelFolderError: LocalizedError, CustomStringConvertible {
    /// The folder lacks `config.json` or both weight files.
    case missingFile(folder: String, expected: [String])
    /// `config.json` is not a readable Hubert configuration.
    case invalidConfiguration(path: String, reason: String)

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// One line naming the file and what is wrong.
    package var description: String {
        switch self {
        case .missingFile(let folder, let expected):
            "\(folder): no \(expected.joined(separator: " or ")) in the Hubert model folder"
        case .invalidConfiguration(let path, let reason):
            "\(path): not a usable Hubert config.json: \(reason)"
        }
    }

}

extension HubertConfiguration {
    /// Reads an HF `config.json` (extra keys are ignored).
    package init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw HubertModelFolderError.missingFile(
                folder: url.deletingLastPathComponent().path, expected: [url.lastPathComponent])
        }
        do {
            self = try JSONDecoder().decode(HubertConfiguration.self, from: data)
            try validate()
        } catch let error as HubertError {
            throw HubertModelFolderError.invalidConfiguration(path: url.path, reason: "\(error)")
        } catch {
            throw HubertModelFolderError.invalidConfiguration(
                path: url.path, reason: "\(error)".split(separator: "\n").first.map(String.init) ?? "")
        }
    }
}

extension HubertModel {
    /// The weight files looked for in a model folder, in order of preference.
    public static let weightFileNames = ["model.safetensors", "pytorch_model.bin"]

    /// Loads an HF model folder: `config.json` and `model.safetensors` or
    /// `pytorch_model.bin` (either weight-norm key naming; either file may hold either format,
    /// see `WeightFile.checkpoint(contentsOf:limits:)`), the weights read within `limits`.
    public init(modelFolder: URL, limits: ReaderLimits = .standard) throws {
        let configuration = try HubertConfiguration(
            contentsOf: modelFolder.appendingPathComponent("config.json"))
        let manager = FileManager.default
        guard
            let weightsURL = Self.weightFileNames.lazy
                .map({ modelFolder.appendingPathComponent($0) })
                .first(where: { manager.fileExists(atPath: $0.path) })
        else {
            throw HubertModelFolderError.missingFile(
                folder: modelFolder.path, expected: Self.weightFileNames)
        }
        try self.init(weightsAt: weightsURL, configuration: configuration, limits: limits)
    }

    /// Loads the weights in `url` for `configuration`, through ``WeightFile/checkpoint(contentsOf:limits:)``
    /// (torch `.bin`/`.pth`/`.ckpt`, zip or legacy, or safetensors, recognised by content).
    package init(weightsAt url: URL, configuration: HubertConfiguration, limits: ReaderLimits = .standard) throws {
        try self.init(stateDict: WeightFile.checkpoint(contentsOf: url, limits: limits), configuration: configuration)
    }
}

extension HubertFeatureExtractor {
    /// An extractor for the HF model folder `modelFolder` (see ``HubertModel/init(modelFolder:limits:)``).
    public init(
        modelFolder: URL, windowing: HubertWindowing = HubertWindowing(), limits: ReaderLimits = .standard
    ) throws {
        self.init(model: try HubertModel(modelFolder: modelFolder, limits: limits), windowing: windowing)
    }
}

extension HubertFeatureExtractor {
    /// DiffDub's features for the audio file at `url` (any format libsndfile reads), mixed
    /// to mono and resampled to 16 kHz: see `features(samples:sampleRate:)`.
    ///
    /// - Throws: `AudioError` for an unreadable, empty or silent (all-zero) file, or one
    ///   with NaN samples.
    public func features(forAudioAt url: URL, limits: ReaderLimits = .standard) throws -> Tensor {
        let audio = try AudioFile.read(url, limits: limits)
        guard !audio.isSilent else { throw AudioError.silent(path: url.path) }
        return try features(samples: audio.mono().samples, sampleRate: audio.sampleRate)
    }
}
