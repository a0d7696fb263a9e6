/// Hands a model's layers their tensors out of a ``StateDict``, strictly.
///
/// A binder is a cursor at a key prefix. Layers ask for tensors by their local name
/// (`weight`, `bias`), composite layers hand a ``scoped(_:)`` child binder to each sub-layer,
/// so the Swift structure mirrors the original module tree and every checkpoint key names
/// the property that holds it. Every tensor taken is recorded; ``finish()`` then reports
/// the keys under the root prefix that no layer took.
///
/// ```swift
/// let weights = WeightBinder(stateDict.selecting(prefix: "ema_model."))
/// let conv = try Conv2d(weights.scoped("input_blocks.0.0"))
/// try weights.finish()   // throws WeightError.unexpected if anything was left over
/// ```
public final class WeightBinder: @unchecked Sendable {
    private final class Ledger {
        var taken: Set<String> = []
    }

    /// The state dict being bound.
    public let stateDict: StateDict
    /// The prefix of this cursor, ending in `.` unless empty.
    public let prefix: String
    private let ledger: Ledger

    /// A binder at the root of `stateDict`.
    public init(_ stateDict: StateDict) {
        self.stateDict = stateDict
        self.prefix = ""
        self.ledger = Ledger()
    }

    private init(stateDict: StateDict, prefix: String, ledger: Ledger) {
        self.stateDict = stateDict
        self.prefix = prefix
        self.ledger = ledger
    }

    /// A binder for the sub-module `name` (`scoped("in_layers").scoped("0")` or
    /// `scoped("in_layers.0")`).
    public func scoped(_ name: String) -> WeightBinder {
        WeightBinder(stateDict: stateDict, prefix: prefix + name + ".", ledger: ledger)
    }

    /// The full key of a local name.
    public func key(_ name: String) -> String { prefix + name }

    /// Whether the tensor `name` exists under this prefix.
    public func contains(_ name: String) -> Bool { stateDict[prefix + name] != nil }

    /// Whether any key lies under the sub-module `name`.
    public func containsModule(_ name: String) -> Bool {
        stateDict.containsKeys(withPrefix: prefix + name + ".")
    }

    /// The stored shape of `name`, if present.
    public func shape(of name: String) -> [Int]? { stateDict[prefix + name]?.shape }

    /// The stored shape of `name`, or ``WeightError/missing(key:source:)``.
    public func requireShape(of name: String) throws -> [Int] {
        guard let shape = shape(of: name) else {
            throw WeightError.missing(key: prefix + name, source: stateDict.source)
        }
        return shape
    }

    /// The distinct first path components below this prefix (`["0", "1", "2"]` under
    /// `input_blocks.`), numeric ones in numeric order.
    public func childNames() -> [String] {
        var names: Set<String> = []
        for key in stateDict.records.keys where key.hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count)
            if let dot = rest.firstIndex(of: ".") { names.insert(String(rest[..<dot])) }
        }
        return names.sorted { a, b in
            switch (Int(a), Int(b)) {
            case let (x?, y?): x < y
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): a < b
            }
        }
    }

    /// Takes the tensor `name`, checking its shape when `shape` is given.
    public func tensor(_ name: String, shape expected: [Int]? = nil) throws -> Tensor {
        let key = prefix + name
        guard let record = stateDict[key] else {
            throw WeightError.missing(key: key, source: stateDict.source)
        }
        if let expected, expected != record.shape {
            throw WeightError.shapeMismatch(
                key: key, expected: expected, found: record.shape, source: stateDict.source)
        }
        let tensor: Tensor
        do {
            tensor = try record.load()
        } catch let error as WeightError {
            throw error
        } catch {
            throw WeightError.unreadable(key: key, reason: "\(error)", source: stateDict.source)
        }
        ledger.taken.insert(key)
        return tensor
    }

    /// Takes `name` if present (for optional parameters such as a bias).
    public func optionalTensor(_ name: String, shape: [Int]? = nil) throws -> Tensor? {
        contains(name) ? try tensor(name, shape: shape) : nil
    }

    /// Marks `name` as used without loading it (buffers inference does not need, such as
    /// BatchNorm's `num_batches_tracked`).
    public func skip(_ name: String) {
        if contains(name) { ledger.taken.insert(prefix + name) }
    }

    /// Throws ``WeightError/unexpected(keys:source:)`` if any key under this binder's
    /// prefix was not taken or skipped.
    public func finish() throws {
        let left = stateDict.records.keys.filter { $0.hasPrefix(prefix) && !ledger.taken.contains($0) }
        if !left.isEmpty {
            throw WeightError.unexpected(keys: left.sorted(), source: stateDict.source)
        }
    }
}
