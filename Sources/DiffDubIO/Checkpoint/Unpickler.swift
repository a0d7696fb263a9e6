import DiffDubCore

/// A restricted decoder of Python pickles (protocols 0 to 5) that never executes anything.
///
/// It rebuilds plain data (`None`, bools, ints, floats, str, bytes, tuples, lists, dicts, sets)
/// and calls only these allow-listed globals:
///
/// | global | result |
/// |---|---|
/// | `torch._utils._rebuild_tensor_v2`, `_rebuild_tensor` | ``PickleValue/tensor(_:)`` |
/// | `torch._utils._rebuild_parameter`, `_rebuild_parameter_with_state` | the wrapped tensor |
/// | `torch._tensor._rebuild_from_type_v2` | the result of the wrapped (allow-listed) call |
/// | `collections.OrderedDict` | a dict |
/// | `torch.Size` | a tuple |
/// | `_codecs.encode(text, 'latin1')` | bytes (how protocol 2 stores `bytes`) |
///
/// Storage types (`torch.FloatStorage`, `HalfStorage`, `BFloat16Storage`, `DoubleStorage`,
/// `LongStorage`, `IntStorage`, `ShortStorage`, `CharStorage`, `ByteStorage`, `BoolStorage`)
/// are recognised inside persistent ids `('storage', type, key, location, numel[, view])`.
/// Any global outside ``PickleGlobals`` (`posix.system`, `builtins.eval`, ...) is refused with
/// ``CheckpointError/forbiddenGlobal(path:module:name:offset:)`` as soon as it is read; the
/// allowed ones that are not rebuilt here stay inert ``PickleValue/global(module:name:)``
/// values, and calling them yields an ``PickleValue/object(_:)``.
///
/// Limits (a hostile file gets a ``CheckpointError/limitExceeded(path:reason:)``, never a crash,
/// hang or unbounded allocation), from the ``ReaderLimits`` it is given:
/// ``ReaderLimits/maximumPickleMemoEntries`` memo slots, ``ReaderLimits/maximumPickleStackDepth``
/// stack items, ``ReaderLimits/maximumPickleNesting`` nested marks and container depth, four
/// values built at `STOP` per allowed stack item (shared tuples would otherwise expand
/// exponentially), and ``maximumArgumentNodes`` values in the arguments of a persistent id or
/// tensor rebuild.
package struct Unpickler {
    /// Most values in the arguments of one persistent id or tensor rebuild (torch's have about ten).
    package static let maximumArgumentNodes = 4096

    private let limits: ReaderLimits
    /// The element type of every storage a persistent id has named so far, by key.
    package private(set) var storageTypes: [String: ScalarType] = [:]

    private let bytes: UnsafeRawBufferPointer
    private let baseOffset: Int
    private let path: String
    private var position = 0
    private var stack: [PickleItem] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleItem] = [:]
    /// Every container built, held until the end of ``decode()`` so that none is freed while
    /// a chain of containers hangs from it (freeing a chain recurses once per link).
    private var boxes: [PickleBox] = []

    /// A decoder of the pickle in `bytes` within `limits`; `baseOffset` (where `bytes` start in
    /// the file) and `path` appear in errors.
    package init(bytes: UnsafeRawBufferPointer, baseOffset: Int = 0, path: String, limits: ReaderLimits = .standard) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        self.path = path
        self.limits = limits
    }

    /// Decodes one pickle and returns its value and the number of bytes it used (the
    /// legacy torch format stores several pickles back to back).
    package static func load(
        _ bytes: UnsafeRawBufferPointer, baseOffset: Int = 0, path: String, limits: ReaderLimits = .standard
    ) throws -> (value: PickleValue, length: Int) {
        var unpickler = Unpickler(bytes: bytes, baseOffset: baseOffset, path: path, limits: limits)
        let value = try unpickler.decode()
        return (value, unpickler.position)
    }

    /// Decodes one pickle from the start; afterwards ``length`` is the number of bytes it
    /// used and ``storageTypes`` lists the storages it named.
    package mutating func decode() throws -> PickleValue {
        position = 0
        stack = []
        marks = []
        memo = [:]
        storageTypes = [:]
        return try run()
    }

    /// Bytes used by the last ``decode()``.
    package var length: Int { position }

    // MARK: - Decoding loop

    private mutating func run() throws -> PickleValue {
        defer { releaseBoxes() }
        while true {
            let opcodeOffset = position
            let opcode = try readByte()
            switch opcode {
            case 0x2E:  // STOP
                let top = try pop()
                var resolver = PickleResolver(
                    maximumDepth: limits.maximumPickleNesting, maximumNodes: 4 * limits.maximumPickleStackDepth)
                guard let value = resolver.resolve(top) else {
                    throw limit(resolver.failure)
                }
                return value
            default:
                try execute(opcode, at: opcodeOffset)
            }
        }
    }

    private mutating func execute(_ opcode: UInt8, at offset: Int) throws {
        switch opcode {
        // Framing and protocol
        case 0x80: _ = try readByte()  // PROTO
        case 0x95: _ = try readInteger(bytes: 8)  // FRAME
        // Marks and stack manipulation
        case 0x28:  // MARK
            guard marks.count < limits.maximumPickleNesting else {
                throw limit("more than \(limits.maximumPickleNesting) nested marks")
            }
            marks.append(stack.count)
        case 0x30: _ = try pop()  // POP
        case 0x31: _ = try popMark()  // POP_MARK
        case 0x32: try push(try top())  // DUP
        // Constants
        case 0x4E: try push(.value(.none))  // NONE
        case 0x88: try push(.value(.bool(true)))  // NEWTRUE
        case 0x89: try push(.value(.bool(false)))  // NEWFALSE
        // Integers
        case 0x4A: try push(.value(.int(Int64(Int32(truncatingIfNeeded: try readInteger(bytes: 4))))))  // BININT
        case 0x4B: try push(.value(.int(Int64(try readByte()))))  // BININT1
        case 0x4D: try push(.value(.int(Int64(try readInteger(bytes: 2)))))  // BININT2
        case 0x8A: try push(.value(try readLong(lengthBytes: 1)))  // LONG1
        case 0x8B: try push(.value(try readLong(lengthBytes: 4)))  // LONG4
        case 0x49: try push(.value(try parseTextInteger(try readLine(), at: offset)))  // INT
        case 0x4C:  // LONG (text, trailing L)
            var line = try readLine()
            if line.hasSuffix("L") { line.removeLast() }
            try push(.value(try parseTextInteger(line, at: offset)))
        // Floats
        case 0x47:  // BINFLOAT, big-endian
            let bits = try readBigEndian64()
            try push(.value(.float(Double(bitPattern: bits))))
        case 0x46:  // FLOAT (text)
            let line = try readLine()
            guard let value = Double(line) else { throw malformed(offset, "bad float literal '\(Unpickler.excerpt(line))'") }
            try push(.value(.float(value)))
        // Strings and bytes
        case 0x58: try push(.value(.string(try readUTF8(count: try readLength(bytes: 4), at: offset))))  // BINUNICODE
        case 0x8C: try push(.value(.string(try readUTF8(count: Int(try readByte()), at: offset))))  // SHORT_BINUNICODE
        case 0x8D: try push(.value(.string(try readUTF8(count: try readLength(bytes: 8), at: offset))))  // BINUNICODE8
        case 0x42: try push(.value(.bytes(try readBytes(try readLength(bytes: 4)))))  // BINBYTES
        case 0x43: try push(.value(.bytes(try readBytes(Int(try readByte())))))  // SHORT_BINBYTES
        case 0x8E: try push(.value(.bytes(try readBytes(try readLength(bytes: 8)))))  // BINBYTES8
        case 0x96: try push(.value(.bytes(try readBytes(try readLength(bytes: 8)))))  // BYTEARRAY8
        case 0x54: try push(.value(.string(latin1(try readBytes(try readLength(bytes: 4))))))  // BINSTRING
        case 0x55: try push(.value(.string(latin1(try readBytes(Int(try readByte()))))))  // SHORT_BINSTRING
        case 0x53:  // STRING (quoted repr, escapes kept as written)
            var line = try readLine()
            if line.count >= 2, let first = line.first, first == "'" || first == "\"", line.last == first {
                line = String(line.dropFirst().dropLast())
            }
            try push(.value(.string(line)))
        case 0x56: try push(.value(.string(try readLine())))  // UNICODE (raw-unicode-escape, taken as is)
        // Containers
        case 0x29: try push(.tuple([], shape: PickleTupleShape(depth: 1)))  // EMPTY_TUPLE
        case 0x85: try pushTuple(try pop(1))  // TUPLE1
        case 0x86: try pushTuple(try pop(2))  // TUPLE2
        case 0x87: try pushTuple(try pop(3))  // TUPLE3
        case 0x74: try pushTuple(try popMark())  // TUPLE
        case 0x5D: try push(.box(track(PickleBox(.list))))  // EMPTY_LIST
        case 0x6C:  // LIST
            let box = track(PickleBox(.list))
            box.items = try popMark()
            try push(.box(box))
        case 0x7D: try push(.box(track(PickleBox(.dict))))  // EMPTY_DICT
        case 0x64:  // DICT
            let box = track(PickleBox(.dict))
            box.entries = try pairs(try popMark(), at: offset)
            try push(.box(box))
        case 0x8F: try push(.box(track(PickleBox(.set))))  // EMPTY_SET
        case 0x91:  // FROZENSET
            let box = track(PickleBox(.set))
            box.items = try popMark()
            try push(.box(box))
        case 0x61:  // APPEND
            let item = try pop()
            try appendItems([item], at: offset)
        case 0x65, 0x90:  // APPENDS, ADDITEMS
            try appendItems(try popMark(), at: offset)
        case 0x73:  // SETITEM
            let value = try pop()
            let key = try pop()
            try setItems([(key, value)], at: offset)
        case 0x75:  // SETITEMS
            try setItems(try pairs(try popMark(), at: offset), at: offset)
        // Memo
        case 0x71: try memoize(Int(try readByte()), at: offset)  // BINPUT
        case 0x72: try memoize(Int(try readInteger(bytes: 4)), at: offset)  // LONG_BINPUT
        case 0x94: try memoize(memo.count, at: offset)  // MEMOIZE
        case 0x70:  // PUT (text)
            let line = try readLine()
            guard let index = Int(line), index >= 0 else { throw malformed(offset, "bad memo index '\(Unpickler.excerpt(line))'") }
            try memoize(index, at: offset)
        case 0x68: try push(try recall(Int(try readByte()), at: offset))  // BINGET
        case 0x6A: try push(try recall(Int(try readInteger(bytes: 4)), at: offset))  // LONG_BINGET
        case 0x67:  // GET (text)
            let line = try readLine()
            guard let index = Int(line) else { throw malformed(offset, "bad memo index '\(Unpickler.excerpt(line))'") }
            try push(try recall(index, at: offset))
        // Globals and calls
        case 0x63:  // GLOBAL
            let module = try readLine()
            let name = try readLine()
            try push(try allowedGlobal(module, name, at: offset))
        case 0x93:  // STACK_GLOBAL
            let name = try pop()
            let module = try pop()
            guard case .value(.string(let nameText)) = name, case .value(.string(let moduleText)) = module else {
                throw malformed(offset, "STACK_GLOBAL needs two strings")
            }
            try push(try allowedGlobal(moduleText, nameText, at: offset))
        case 0x82, 0x83, 0x84:  // EXT1, EXT2, EXT4 (copyreg extension registry: never allowed)
            let code = try readInteger(bytes: opcode == 0x82 ? 1 : opcode == 0x83 ? 2 : 4)
            try push(try allowedGlobal("copyreg.extension", String(code), at: offset))
        case 0x52:  // REDUCE
            let arguments = try pop()
            let callable = try pop()
            try push(try call(callable, arguments, at: offset))
        case 0x81:  // NEWOBJ
            let arguments = try pop()
            let cls = try pop()
            try push(try call(cls, arguments, at: offset))
        case 0x92:  // NEWOBJ_EX
            let keywords = try pop()
            let arguments = try pop()
            let cls = try pop()
            try push(.box(track(PickleBox(object: cls, arguments: .argumentTuple([arguments, keywords])))))
        case 0x6F:  // OBJ
            var items = try popMark()
            guard !items.isEmpty else { throw malformed(offset, "OBJ without a class") }
            let cls = items.removeFirst()
            try push(.box(track(PickleBox(object: cls, arguments: .argumentTuple(items)))))
        case 0x69:  // INST
            let module = try readLine()
            let name = try readLine()
            let cls = try allowedGlobal(module, name, at: offset)
            let items = try popMark()
            try push(.box(track(PickleBox(object: cls, arguments: .argumentTuple(items)))))
        case 0x62:  // BUILD
            let state = try pop()
            if case .box(let box) = try top(), box.kind == .object { box.state = state }
        // Persistent ids
        case 0x51: try push(try persistentLoad(try pop(), at: offset))  // BINPERSID
        case 0x50: try push(try persistentLoad(.value(.string(try readLine())), at: offset))  // PERSID
        case 0x97, 0x98:  // NEXT_BUFFER, READONLY_BUFFER
            throw malformed(offset, "out-of-band buffers (protocol 5) are not supported")
        default:
            throw CheckpointError.unknownOpcode(path: path, opcode: opcode, offset: baseOffset + offset)
        }
    }

    /// The global `module.name`, or ``CheckpointError/forbiddenGlobal(path:module:name:offset:)``
    /// when ``PickleGlobals`` does not allow it.
    private func allowedGlobal(_ module: String, _ name: String, at offset: Int) throws -> PickleItem {
        guard PickleGlobals.isAllowed(module: module, name: name) else {
            throw CheckpointError.forbiddenGlobal(
                path: path, module: Unpickler.excerpt(module), name: Unpickler.excerpt(name), offset: baseOffset + offset)
        }
        return .value(.global(module: module, name: name))
    }

    /// Registers a new container (see ``boxes``).
    private mutating func track(_ box: PickleBox) -> PickleBox {
        boxes.append(box)
        return box
    }

    /// Empties every container while all are still held, so that freeing them afterwards
    /// never recurses: a hostile pickle can chain millions of lists.
    private mutating func releaseBoxes() {
        for box in boxes { box.empty() }
        boxes = []
    }

    // MARK: - Calls (the allow-list)

    private mutating func call(
        _ callable: PickleItem, _ arguments: PickleItem, at offset: Int, depth: Int = 0
    ) throws -> PickleItem {
        guard depth < limits.maximumPickleNesting else {
            throw limit("calls nested deeper than \(limits.maximumPickleNesting)")
        }
        guard case .value(.global(let module, let name)) = callable else {
            return .box(track(PickleBox(object: callable, arguments: arguments)))
        }
        switch (module, name) {
        case ("torch._utils", "_rebuild_tensor_v2"), ("torch._utils", "_rebuild_tensor"):
            return .value(.tensor(try rebuildTensor(try resolved(arguments, at: offset), at: offset)))
        case ("torch._utils", "_rebuild_parameter"), ("torch._utils", "_rebuild_parameter_with_state"):
            guard case .tuple(let items, _) = arguments, let data = items.first else {
                throw malformed(offset, "\(name) needs a tuple of arguments")
            }
            return data
        case ("torch._tensor", "_rebuild_from_type_v2"):
            guard case .tuple(let items, _) = arguments, items.count >= 3 else {
                throw malformed(offset, "_rebuild_from_type_v2 needs (func, type, args, state)")
            }
            return try call(items[0], items[2], at: offset, depth: depth + 1)
        case ("collections", "OrderedDict"):
            let box = track(PickleBox(.dict))
            if case .tuple(let items, _) = arguments, let first = items.first, case .box(let source) = first {
                for pair in source.items {
                    if case .tuple(let kv, _) = pair, kv.count == 2 { box.entries.append((kv[0], kv[1])) }
                }
            }
            return .box(box)
        case ("torch", "Size"):
            if case .tuple(let items, _) = arguments, let first = items.first, case .tuple = first { return first }
            return .tuple([], shape: PickleTupleShape(depth: 1))
        case ("_codecs", "encode"):
            if case .tuple(let items, _) = arguments, let first = items.first, case .value(.string(let text)) = first {
                return .value(.bytes(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }))
            }
            return .box(track(PickleBox(object: callable, arguments: arguments)))
        default:
            return .box(track(PickleBox(object: callable, arguments: arguments)))
        }
    }

    private func resolved(_ item: PickleItem, at offset: Int) throws -> PickleValue {
        var resolver = PickleResolver(
            maximumDepth: limits.maximumPickleNesting, maximumNodes: Unpickler.maximumArgumentNodes)
        guard let value = resolver.resolve(item) else {
            throw limit(resolver.failure + " in the arguments at offset \(baseOffset + offset)")
        }
        return value
    }

    /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, ...)`.
    private func rebuildTensor(_ arguments: PickleValue, at offset: Int) throws -> TorchTensorReference {
        guard let items = arguments.sequence, items.count >= 4 else {
            throw malformed(offset, "_rebuild_tensor_v2 needs (storage, offset, size, stride, ...)")
        }
        guard case .storage(let storage) = items[0] else {
            throw malformed(offset, "_rebuild_tensor_v2's first argument is not a storage")
        }
        guard let storageOffset = items[1].intValue, storageOffset >= 0, storageOffset <= Int64(Int.max) else {
            throw malformed(offset, "bad storage offset")
        }
        guard let shape = integers(items[2]), let strides = integers(items[3]), shape.count == strides.count else {
            throw malformed(offset, "tensor size and stride must be integer tuples of equal length")
        }
        guard shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }) else {
            throw malformed(offset, "negative tensor size or stride")
        }
        return TorchTensorReference(storage: storage, storageOffset: Int(storageOffset), shape: shape, strides: strides)
    }

    private func integers(_ value: PickleValue) -> [Int]? {
        guard let items = value.sequence else { return nil }
        var result: [Int] = []
        for item in items {
            guard let number = item.intValue, let small = Int(exactly: number) else { return nil }
            result.append(small)
        }
        return result
    }

    /// `('storage', type, key, location, numel[, view_metadata])`.
    private mutating func persistentLoad(_ id: PickleItem, at offset: Int) throws -> PickleItem {
        let value = try resolved(id, at: offset)
        guard let fields = value.sequence, fields.count >= 5, fields[0].stringValue == "storage" else {
            return .value(.persistentID(value))
        }
        let typeName: String
        switch fields[1] {
        case .global(let module, let name): typeName = module == "torch" ? name : "\(module).\(name)"
        case .string(let name): typeName = name
        default: throw malformed(offset, "storage type is not a global")
        }
        guard let scalarType = TorchStorageReference.scalarType(forStorageName: typeName) else {
            throw CheckpointError.unsupportedStorage(path: path, type: "torch.\(typeName)")
        }
        let key: String
        switch fields[2] {
        case .string(let text): key = text
        case .int(let number): key = String(number)
        default: throw malformed(offset, "storage key is neither str nor int")
        }
        guard let count = fields[4].intValue, count >= 0, let elementCount = Int(exactly: count) else {
            throw malformed(offset, "bad storage element count")
        }
        var viewOffset = 0
        if fields.count >= 6, let metadata = fields[5].sequence, metadata.count >= 2 {
            // (view_key, offset, view_size): a window of record `key` starting at `offset`.
            guard let start = metadata[1].intValue, start >= 0, let small = Int(exactly: start) else {
                throw malformed(offset, "bad storage view metadata")
            }
            viewOffset = small
        }
        storageTypes[key] = scalarType
        return .value(
            .storage(
                TorchStorageReference(
                    scalarType: scalarType, key: key, elementCount: elementCount, viewOffset: viewOffset)))
    }

    // MARK: - Containers

    private func pairs(_ items: [PickleItem], at offset: Int) throws -> [(key: PickleItem, value: PickleItem)] {
        guard items.count % 2 == 0 else { throw malformed(offset, "odd number of items for a dict") }
        return stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
    }

    private mutating func appendItems(_ items: [PickleItem], at offset: Int) throws {
        guard case .box(let box) = try top(), box.kind != .dict else {
            throw malformed(offset, "APPEND(S) on something that is not a list or set")
        }
        box.items.append(contentsOf: items)
    }

    private mutating func setItems(_ entries: [(key: PickleItem, value: PickleItem)], at offset: Int) throws {
        guard case .box(let box) = try top(), box.kind == .dict || box.kind == .object else {
            throw malformed(offset, "SETITEM(S) on something that is not a dict")
        }
        if box.kind == .dict {
            // A repeated string key replaces the earlier value, as in Python.
            for entry in entries {
                if case .value(.string(let name)) = entry.key {
                    if let index = box.stringKeyIndex[name] {
                        box.entries[index].value = entry.value
                        continue
                    }
                    box.stringKeyIndex[name] = box.entries.count
                }
                box.entries.append(entry)
            }
        } else {
            box.entries.append(contentsOf: entries)
        }
    }

    // MARK: - Stack and memo

    private mutating func push(_ item: PickleItem) throws {
        guard stack.count < limits.maximumPickleStackDepth else {
            throw limit("more than \(limits.maximumPickleStackDepth) stack items")
        }
        stack.append(item)
    }

    /// Pushes a tuple, refusing tuples nested deeper than the limit (their destruction, like
    /// their resolution, recurses once per level).
    private mutating func pushTuple(_ items: [PickleItem]) throws {
        var depth = 1
        for case .tuple(_, let shape) in items { depth = max(depth, shape.depth + 1) }
        guard depth <= limits.maximumPickleNesting else {
            throw limit("tuples nested deeper than \(limits.maximumPickleNesting)")
        }
        try push(.tuple(items, shape: PickleTupleShape(depth: depth)))
    }

    private mutating func pop() throws -> PickleItem {
        guard stack.count > (marks.last ?? 0), let item = stack.popLast() else {
            throw malformed(position - 1, "stack underflow")
        }
        return item
    }

    private mutating func pop(_ count: Int) throws -> [PickleItem] {
        guard stack.count - (marks.last ?? 0) >= count else { throw malformed(position - 1, "stack underflow") }
        let items = Array(stack.suffix(count))
        stack.removeLast(count)
        return items
    }

    private func top() throws -> PickleItem {
        guard stack.count > (marks.last ?? 0), let item = stack.last else {
            throw malformed(position - 1, "stack underflow")
        }
        return item
    }

    private mutating func popMark() throws -> [PickleItem] {
        guard let mark = marks.popLast() else { throw malformed(position - 1, "no MARK on the stack") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func memoize(_ index: Int, at offset: Int) throws {
        let item = try top()
        if memo[index] == nil && memo.count >= limits.maximumPickleMemoEntries {
            throw limit("more than \(limits.maximumPickleMemoEntries) memo entries")
        }
        memo[index] = item
    }

    private func recall(_ index: Int, at offset: Int) throws -> PickleItem {
        guard let item = memo[index] else { throw malformed(offset, "memo entry \(index) is not defined") }
        return item
    }

    // MARK: - Reading bytes

    private mutating func readByte() throws -> UInt8 {
        guard position < bytes.count else { throw truncated() }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func readBytes(_ count: Int) throws -> [UInt8] {
        guard count >= 0, count <= bytes.count - position else { throw truncated() }
        defer { position += count }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)]))
    }

    /// An unsigned little-endian integer of `count` bytes (at most 8).
    private mutating func readInteger(bytes count: Int) throws -> UInt64 {
        guard count <= bytes.count - position else { throw truncated() }
        var value: UInt64 = 0
        for i in 0..<count { value |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += count
        return value
    }

    /// A length field, checked against the bytes left.
    private mutating func readLength(bytes count: Int) throws -> Int {
        let value = try readInteger(bytes: count)
        guard value <= UInt64(bytes.count - position) else { throw truncated() }
        return Int(value)
    }

    private mutating func readBigEndian64() throws -> UInt64 {
        guard 8 <= bytes.count - position else { throw truncated() }
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(bytes[position + i]) }
        position += 8
        return value
    }

    private mutating func readUTF8(count: Int, at offset: Int) throws -> String {
        let raw = try readBytes(count)
        guard let text = String(validating: raw, as: UTF8.self) else { throw malformed(offset, "string is not UTF-8") }
        return text
    }

    /// A newline-terminated text argument, without the newline.
    private mutating func readLine() throws -> String {
        var end = position
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        guard end < bytes.count else { throw truncated() }
        let line = latin1(Array(UnsafeRawBufferPointer(rebasing: bytes[position..<end])))
        position = end + 1
        return line
    }

    /// `LONG1`/`LONG4`: a little-endian two's complement integer of the given length.
    private mutating func readLong(lengthBytes: Int) throws -> PickleValue {
        let count = try readLength(bytes: lengthBytes)
        let digits = try readBytes(count)
        if count == 0 { return .int(0) }
        if count > 8 { return .bigInt(digits) }
        var value: UInt64 = 0
        for (i, byte) in digits.enumerated() { value |= UInt64(byte) << (8 * UInt64(i)) }
        if count < 8 && digits[count - 1] & 0x80 != 0 { value |= ~0 << (8 * UInt64(count)) }
        return .int(Int64(bitPattern: value))
    }

    private func parseTextInteger(_ line: String, at offset: Int) throws -> PickleValue {
        if line == "01" { return .bool(true) }
        if line == "00" { return .bool(false) }
        guard let value = Int64(line) else { throw malformed(offset, "bad integer literal '\(Unpickler.excerpt(line))'") }
        return .int(value)
    }

    private func latin1(_ raw: [UInt8]) -> String {
        String(decoding: raw.map { UInt16($0) }, as: UTF16.self)
    }

    // MARK: - Errors

    /// At most 40 characters of file text for an error message, non-printable ones as `?`,
    /// so that a message stays one short line.
    static func excerpt(_ text: String) -> String {
        let printable = text.unicodeScalars.prefix(40).map { $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" }
        return String(printable) + (text.unicodeScalars.count > 40 ? "..." : "")
    }

    private func truncated() -> CheckpointError {
        .truncated(path: path, what: "pickle ends at offset \(baseOffset + bytes.count) before STOP")
    }

    private func malformed(_ offset: Int, _ reason: String) -> CheckpointError {
        .malformedPickle(path: path, offset: baseOffset + offset, reason: reason)
    }

    private func limit(_ reason: String) -> CheckpointError {
        .limitExceeded(path: path, reason: reason)
    }
}
