/// The unpickler's working representation: mutable containers are boxes shared between the
/// stack and the memo (as Python's objects are), so `SETITEMS` on a dict reached through
/// `BINGET` changes the one dict. ``PickleResolver`` turns it into a ``PickleValue`` tree at `STOP`.
enum PickleItem {
    /// An immutable leaf (number, string, global, storage, tensor, ...).
    case value(PickleValue)
    /// A tuple, whose elements may be containers.
    case tuple([PickleItem])
    /// A list, dict, set or object.
    case box(PickleBox)
}

/// A mutable container on the unpickler's stack or memo.
final class PickleBox {
    enum Kind { case list, dict, set, object }

    let kind: Kind
    /// Elements (list, set, object `APPENDS`).
    var items: [PickleItem] = []
    /// Entries (dict, object `SETITEMS`).
    var entries: [(key: PickleItem, value: PickleItem)] = []
    /// Position in ``entries`` of each string key (dicts), so repeated keys replace.
    var stringKeyIndex: [String: Int] = [:]
    /// For objects: what was called, with which arguments, and the `BUILD` state.
    var callable: PickleItem = .value(.none)
    var arguments: PickleItem = .value(.tuple([]))
    var state: PickleItem?

    init(_ kind: Kind) { self.kind = kind }

    convenience init(object callable: PickleItem, arguments: PickleItem) {
        self.init(.object)
        self.callable = callable
        self.arguments = arguments
    }
}

/// Converts the unpickler's items into values, sharing the work for containers referenced
/// many times and cutting cycles (``PickleValue/recursive``).
struct PickleResolver {
    private var done: [ObjectIdentifier: PickleValue] = [:]
    private var inProgress: Set<ObjectIdentifier> = []
    let maximumDepth: Int

    init(maximumDepth: Int) { self.maximumDepth = maximumDepth }

    /// The value of `item`, or `nil` when nesting exceeds ``maximumDepth``.
    mutating func resolve(_ item: PickleItem, depth: Int = 0) -> PickleValue? {
        guard depth <= maximumDepth else { return nil }
        switch item {
        case .value(let value):
            return value
        case .tuple(let elements):
            var values: [PickleValue] = []
            values.reserveCapacity(elements.count)
            for element in elements {
                guard let value = resolve(element, depth: depth + 1) else { return nil }
                values.append(value)
            }
            return .tuple(values)
        case .box(let box):
            let id = ObjectIdentifier(box)
            if let value = done[id] { return value }
            if inProgress.contains(id) { return .recursive }
            inProgress.insert(id)
            defer { inProgress.remove(id) }
            guard let items = resolveAll(box.items, depth: depth + 1) else { return nil }
            var entries: [(key: PickleValue, value: PickleValue)] = []
            entries.reserveCapacity(box.entries.count)
            for entry in box.entries {
                guard let key = resolve(entry.key, depth: depth + 1),
                    let value = resolve(entry.value, depth: depth + 1)
                else { return nil }
                entries.append((key, value))
            }
            let value: PickleValue
            switch box.kind {
            case .list: value = .list(items)
            case .set: value = .set(items)
            case .dict: value = .dict(entries)
            case .object:
                guard let callable = resolve(box.callable, depth: depth + 1),
                    let arguments = resolve(box.arguments, depth: depth + 1)
                else { return nil }
                var state: PickleValue?
                if let item = box.state {
                    guard let resolved = resolve(item, depth: depth + 1) else { return nil }
                    state = resolved
                }
                value = .object(
                    PickleObject(callable: callable, arguments: arguments, state: state, entries: entries, items: items)
                )
            }
            done[id] = value
            return value
        }
    }

    private mutating func resolveAll(_ items: [PickleItem], depth: Int) -> [PickleValue]? {
        var values: [PickleValue] = []
        values.reserveCapacity(items.count)
        for item in items {
            guard let value = resolve(item, depth: depth) else { return nil }
            values.append(value)
        }
        return values
    }
}
