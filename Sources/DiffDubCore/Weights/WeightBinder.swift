/// Hands a model's layers their tensors, strictly, out of a checkpoint's ``StateDict`` or a
/// seeded random generator. The layers' binding code is the one statement of each model's
/// key layout: loading a checkpoint, building a random model and writing a random checkpoint
/// all go through it.
///
/// A binder is a cursor at a key prefix. Layers ask for tensors by their local name
/// (`weight`, `bias`) with the shape they need and how a random model fills them
/// (``WeightInitialization``); composite layers hand a ``scoped(_:)`` child binder to each
/// sub-layer, so the Swift structure mirrors the original module tree and every checkpoint key
/// names the property that holds it.
///
/// - Over a state dict (``init(_:)``), a tensor must exist with exactly the asked shape
///   (``WeightError/missing(key:source:)``, ``WeightError/shapeMismatch(key:expected:found:source:)``)
///   and ``finish()`` reports the keys under the binder's prefix that no layer took.
/// - Over random weights (``init(randomSeed:)``), each tensor is created with the asked shape
///   by its ``WeightInitialization``, from the seed and the tensor's full key (so the values do
///   not depend on the order of binding).
///
/// Either way ``boundStateDict`` holds what was bound, so a random model can be written to a
/// file and loaded back like a checkpoint.
///
/// ```swift
/// let weights = WeightBinder(stateDict)                      // or WeightBinder(randomSeed: 7)
/// let conv = try Conv2d(weights.scoped("input_blocks.0.0"), in: 6, out: 128, kernel: 3)
/// try weights.finish()   // throws WeightError.unexpected if anything was left over
/// ```
package final class WeightBinder: @unchecked Sendable {
    /// Where a binder's tensors come from.
    package enum Source: Sendable {
        /// A checkpoint's tensors, bound strictly.
        case stateDict(StateDict)
        /// Tensors created on request from a seed (see ``WeightInitialization``).
        case random(seed: UInt64)
    }

    /// What the binders of one tree share: the keys taken and the tensors bound.
    private final class Ledger {
        var taken: Set<String> = []
        var bound: [String: TensorRecord] = [:]
    }

    /// Where the tensors come from.
    package let source: Source
    /// The prefix of this cursor, ending in `.` unless empty.
    package let prefix: String
    private let ledger: Ledger

    /// A binder at the root of `stateDict` (strict binding).
    package init(_ stateDict: StateDict) {
        self.source = .stateDict(stateDict)
        self.prefix = ""
        self.ledger = Ledger()
    }

    /// A binder that creates every tensor a layer asks for, reproducibly from `seed`.
    package init(randomSeed seed: UInt64) {
        self.source = .random(seed: seed)
        self.prefix = ""
        self.ledger = Ledger()
    }

    private init(source: Source, prefix: String, ledger: Ledger) {
        self.source = source
        self.prefix = prefix
        self.ledger = ledger
    }

    /// The state dict being bound, or `nil` for random weights.
    package var stateDict: StateDict? {
        if case .stateDict(let stateDict) = source { return stateDict }
        return nil
    }

    /// The file (or description) the tensors come from, as errors name it.
    package var sourceName: String {
        switch source {
        case .stateDict(let stateDict): stateDict.source
        case .random(let seed): "random weights (seed \(seed))"
        }
    }

    /// A binder for the sub-module `name` (`scoped("in_layers").scoped("0")` or
    /// `scoped("in_layers.0")`).
    package func scoped(_ name: String) -> WeightBinder {
        WeightBinder(source: source, prefix: prefix + name + ".", ledger: ledger)
    }

    /// The full key of a local name.
    package func key(_ name: String) -> String { prefix + name }

    /// Whether the tensor `name` exists under this prefix (always `false` for random weights).
    package func contains(_ name: String) -> Bool { stateDict?[prefix + name] != nil }

    /// Whether any key lies under the sub-module `name` (always `false` for random weights).
    package func containsModule(_ name: String) -> Bool {
        stateDict?.containsKeys(withPrefix: prefix + name + ".") ?? false
    }

    /// The stored shape of `name`, if present (`nil` for random weights).
    package func shape(of name: String) -> [Int]? { stateDict?[prefix + name]?.shape }

    /// The stored shape of `name`, for layers whose size only the checkpoint knows.
    ///
    /// - Throws: ``WeightError/missing(key:source:)``; for random weights
    ///   ``WeightError/invalidConfiguration(_:source:)`` (they have no stored shapes).
    package func requireShape(of name: String) throws -> [Int] {
        guard let stateDict else {
            throw WeightError.invalidConfiguration(
                "'\(prefix + name)' has no stored shape: a random model needs layers that state their sizes",
                source: sourceName)
        }
        guard let shape = stateDict[prefix + name]?.shape else {
            throw WeightError.missing(key: prefix + name, source: sourceName)
        }
        return shape
    }

    /// The distinct first path components below this prefix (`["0", "1", "2"]` under
    /// `input_blocks.`), numeric ones in numeric order; empty for random weights.
    package func childNames() -> [String] {
        var names: Set<String> = []
        for key in stateDict.map({ Array($0.records.keys) }) ?? [] where key.hasPrefix(prefix) {
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

    /// Takes the tensor `name` of shape `shape`.
    ///
    /// Over a state dict it must exist with exactly that shape; over random weights it is
    /// created by `initialization`.
    package func tensor(_ name: String, shape: [Int], _ initialization: WeightInitialization) throws -> Tensor {
        let key = prefix + name
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw WeightError.invalidConfiguration(
                "'\(key)': a layer asked for the invalid shape \(shape)", source: sourceName)
        }
        switch source {
        case .random(let seed):
            let tensor = initialization.tensor(shape: shape, seed: seed ^ Self.hash(key))
            ledger.taken.insert(key)
            ledger.bound[key] = TensorRecord(tensor)
            return tensor
        case .stateDict(let stateDict):
            guard let record = stateDict[key] else {
                throw WeightError.missing(key: key, source: stateDict.source)
            }
            guard shape == record.shape else {
                throw WeightError.shapeMismatch(
                    key: key, expected: shape, found: record.shape, source: stateDict.source)
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
            ledger.bound[key] = record
            return tensor
        }
    }

    /// Declares a tensor the model does not compute with (BatchNorm's `num_batches_tracked`,
    /// a layer the original's forward pass never calls).
    ///
    /// Over a state dict it is marked used if present (not loaded, shape not checked); over
    /// random weights it is created, so that ``boundStateDict`` has every key of a checkpoint.
    package func skip(
        _ name: String, shape: [Int], _ initialization: WeightInitialization, storedAs scalarType: ScalarType = .float32
    ) {
        let key = prefix + name
        switch source {
        case .random(let seed):
            ledger.taken.insert(key)
            ledger.bound[key] = TensorRecord(
                initialization.tensor(shape: shape, seed: seed ^ Self.hash(key)), scalarType: scalarType)
        case .stateDict(let stateDict):
            if let record = stateDict[key] {
                ledger.taken.insert(key)
                ledger.bound[key] = record
            }
        }
    }

    /// Throws ``WeightError/unexpected(keys:source:)`` if any key of the state dict under this
    /// binder's prefix was not taken or skipped (nothing to check for random weights).
    package func finish() throws {
        guard let stateDict else { return }
        let left = stateDict.records.keys.filter { $0.hasPrefix(prefix) && !ledger.taken.contains($0) }
        if !left.isEmpty {
            throw WeightError.unexpected(keys: left.sorted(), source: stateDict.source)
        }
    }

    /// Every tensor bound so far through this binder's tree (any prefix), by full key, in its
    /// stored type: for a checkpoint the file's records, for random weights the created
    /// tensors. Write it out (`SafeTensorsFile.write(_:to:)`) to get a checkpoint of a random
    /// model that loads like a real one.
    package var boundStateDict: StateDict {
        StateDict(source: sourceName, records: ledger.bound)
    }

    /// FNV-1a of a key: each random tensor's seed is the binder's seed xor this.
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
