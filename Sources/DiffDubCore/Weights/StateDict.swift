/// A flat mapping from checkpoint keys (`ema_model.input_blocks.0.0.weight`) to tensors,
/// as PyTorch's `state_dict()` is.
///
/// `source` names where it came from, so every error about a key can name the file.
public struct StateDict: Sendable {
    /// Where the tensors came from (a file path, or a description); used in errors.
    package var source: String
    /// The records by key.
    package private(set) var records: [String: TensorRecord]

    /// A state dict over `records`.
    package init(source: String, records: [String: TensorRecord]) {
        self.source = source
        self.records = records
    }

    /// All keys, sorted.
    public var keys: [String] { records.keys.sorted() }

    /// Number of tensors.
    public var count: Int { records.count }

    /// The record stored under `key`.
    package subscript(key: String) -> TensorRecord? { records[key] }

    /// The tensors whose key starts with `prefix`, with the prefix removed
    /// (`selecting(prefix: "ema_model.")` turns `ema_model.out.0.weight` into `out.0.weight`).
    package func selecting(prefix: String) -> StateDict {
        var selected: [String: TensorRecord] = [:]
        for (key, record) in records where key.hasPrefix(prefix) {
            selected[String(key.dropFirst(prefix.count))] = record
        }
        return StateDict(source: source, records: selected)
    }

    /// Whether any key starts with `prefix`.
    package func containsKeys(withPrefix prefix: String) -> Bool {
        records.keys.contains { $0.hasPrefix(prefix) }
    }

    /// Adds or replaces a record.
    package mutating func set(_ record: TensorRecord, forKey key: String) {
        records[key] = record
    }

    /// Total number of elements over all records whose stored type is floating point.
    package var floatParameterCount: Int {
        records.values.filter { $0.scalarType.isFloatingPoint }.reduce(0) { $0 + $1.elementCount }
    }
}
