import DiffDubCore
import Foundation

/// Whether a downloaded file parses as its ``ModelFile/Kind``, checked before it is kept.
enum ModelFileContent {
    /// The largest JSON config read (chinese-hubert-large's is 1.4 kB).
    static let maximumJSONBytes: Int64 = 16 << 20

    /// Why the file at `url` is not a `kind`, in a few words (the file's path left out), or
    /// `nil` when it is one.
    static func problem(in url: URL, kind: ModelFile.Kind) -> String? {
        switch kind {
        case .checkpoint:
            do {
                // Reading the records validates every tensor's extent against the file.
                let stateDict = try WeightFile.checkpoint(contentsOf: url)
                return stateDict.count > 0 ? nil : "it holds no tensors"
            } catch {
                return withoutPath(ModelStore.reason(error), url)
            }
        case .jsonObject:
            if case .regularFile(let size) = PathKind.of(url), size > maximumJSONBytes {
                return "\(size) bytes, more than a config's \(maximumJSONBytes)"
            }
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                return ModelStore.reason(error)
            }
            guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
                return "not a JSON object"
            }
            return nil
        }
    }

    /// `text` without a leading "PATH: ".
    private static func withoutPath(_ text: String, _ url: URL) -> String {
        let prefix = url.path + ": "
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }
}
