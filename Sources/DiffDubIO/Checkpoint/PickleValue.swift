import DiffDubCore

/// A value decoded by ``Unpickler``: Python's data types, inert placeholders for anything
/// the reader does not rebuild, and references to torch storages and tensors.
///
/// Nothing is ever executed: a `GLOBAL` outside ``PickleGlobals`` is refused; an allowed one the
/// reader does not rebuild stays a ``global(module:name:)``, and calling it (`REDUCE`, `NEWOBJ`)
/// yields an ``object(_:)`` holding what the pickle would have passed to it.
package indirect enum PickleValue: Sendable {
    /// `None`.
    case none
    /// `True` / `False`.
    case bool(Bool)
    /// An integer that fits in 64 bits.
    case int(Int64)
    /// A larger integer, as little-endian two's complement bytes (`LONG1`/`LONG4`).
    case bigInt([UInt8])
    /// A float.
    case float(Double)
    /// A `str`.
    case string(String)
    /// `bytes` or `bytearray`.
    case bytes([UInt8])
    /// A `list`.
    case list([PickleValue])
    /// A `tuple`.
    case tuple([PickleValue])
    /// A `dict` (or `collections.OrderedDict`), entries in insertion order.
    case dict([(key: PickleValue, value: PickleValue)])
    /// A `set` or `frozenset`.
    case set([PickleValue])
    /// A module-level name the reader does not call (`torch.float32`, `argparse.Namespace`).
    case global(module: String, name: String)
    /// The result of calling an allowed callable the reader does not run (Lightning's
    /// `AttributeDict`, `argparse.Namespace`, `collections.Counter`, ...), kept as the pickle
    /// described it.
    case object(PickleObject)
    /// A persistent id the reader does not interpret.
    case persistentID(PickleValue)
    /// A torch storage (persistent id `('storage', type, key, location, numel, ...)`).
    case storage(TorchStorageReference)
    /// A tensor rebuilt by `torch._utils._rebuild_tensor_v2` / `_rebuild_parameter`.
    case tensor(TorchTensorReference)
    /// A reference back to a container still being decoded (a cycle), cut here.
    case recursive

    /// The value for string key `key` when this is a dict.
    package subscript(key: String) -> PickleValue? {
        guard case .dict(let entries) = self else { return nil }
        for entry in entries {
            if case .string(let name) = entry.key, name == key { return entry.value }
        }
        return nil
    }

    /// The integer value, when this is an int (or a bool).
    package var intValue: Int64? {
        switch self {
        case .int(let value): value
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }

    /// The string value, when this is a str.
    package var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements, when this is a tuple or list.
    package var sequence: [PickleValue]? {
        switch self {
        case .tuple(let items), .list(let items): items
        default: nil
        }
    }
}

/// A call the reader did not evaluate: `callable(*arguments)` (`REDUCE`, `NEWOBJ`), then
/// `BUILD` with ``state``, plus any items the pickle added to it (`SETITEMS`, `APPENDS`).
package struct PickleObject: Sendable {
    /// What would have been called (usually a ``PickleValue/global(module:name:)``).
    package var callable: PickleValue
    /// The arguments, usually a tuple.
    package var arguments: PickleValue
    /// The `BUILD` state, if any.
    package var state: PickleValue?
    /// Key-value pairs added by `SETITEM(S)` (dict subclasses).
    package var entries: [(key: PickleValue, value: PickleValue)]
    /// Elements added by `APPEND(S)`/`ADDITEMS` (list and set subclasses).
    package var items: [PickleValue]

    /// An object description.
    package init(
        callable: PickleValue, arguments: PickleValue, state: PickleValue? = nil,
        entries: [(key: PickleValue, value: PickleValue)] = [], items: [PickleValue] = []
    ) {
        self.callable = callable
        self.arguments = arguments
        self.state = state
        self.entries = entries
        self.items = items
    }
}

/// A storage named by a pickle's persistent id `('storage', type, key, location, numel[, view])`:
/// the raw record `key` holding `elementCount` elements of `scalarType`.
package struct TorchStorageReference: Sendable, Equatable {
    /// How the storage's elements are encoded.
    package var scalarType: ScalarType
    /// The record's key (`data/<key>` in a zip; an entry of the key list in a legacy file).
    package var key: String
    /// Number of elements the pickle declares.
    package var elementCount: Int
    /// Legacy views (`view_metadata`): where this storage starts inside record `key`, in elements.
    package var viewOffset: Int

    /// A reference to storage `key`.
    package init(scalarType: ScalarType, key: String, elementCount: Int, viewOffset: Int = 0) {
        self.scalarType = scalarType
        self.key = key
        self.elementCount = elementCount
        self.viewOffset = viewOffset
    }

    /// The scalar type of torch's storage class `name` (`FloatStorage` -> `.float32`), or `nil`.
    package static func scalarType(forStorageName name: String) -> ScalarType? {
        switch name {
        case "FloatStorage": .float32
        case "HalfStorage": .float16
        case "BFloat16Storage": .bfloat16
        case "DoubleStorage": .float64
        case "LongStorage": .int64
        case "IntStorage": .int32
        case "ShortStorage": .int16
        case "CharStorage": .int8
        case "ByteStorage": .uint8
        case "BoolStorage": .bool
        default: nil
        }
    }
}

/// A tensor as `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)`
/// describes it: element `(i0, i1, ...)` is storage element
/// `storageOffset + i0 * strides[0] + i1 * strides[1] + ...`.
package struct TorchTensorReference: Sendable, Equatable {
    /// The storage holding the elements.
    package var storage: TorchStorageReference
    /// Offset of element `(0, 0, ...)` in the storage, in elements.
    package var storageOffset: Int
    /// The tensor's shape.
    package var shape: [Int]
    /// Element strides, one per axis.
    package var strides: [Int]

    /// A tensor over `storage`.
    package init(storage: TorchStorageReference, storageOffset: Int, shape: [Int], strides: [Int]) {
        self.storage = storage
        self.storageOffset = storageOffset
        self.shape = shape
        self.strides = strides
    }

    /// Whether the strides are the row-major strides of ``shape`` (ignoring axes of extent 1).
    package var isContiguous: Bool {
        var expected = 1
        for axis in shape.indices.reversed() {
            if shape[axis] != 1 && strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }
}
