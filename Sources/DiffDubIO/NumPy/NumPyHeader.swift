import DiffDubCore

/// The header dictionary of a `.npy` file, read as NumPy reads it (numpy/lib/format.py,
/// `_read_array_header`): the text is a Python literal (`ast.literal_eval`), which must be a
/// dict whose keys are exactly `descr`, `fortran_order` and `shape` (a key written twice
/// keeps its last value, as a Python dict literal does); `shape` a tuple of ints,
/// `fortran_order` a bool, `descr` a string NumPy's `np.dtype` accepts (``NumPyDType``).
/// Headers of format versions 1 and 2 may carry Python 2 long literals (`3L`).
struct NumPyHeader {
    var dtype: NumPyDType
    var fortranOrder: Bool
    var shape: [Int]

    init(parsing header: String, path: String, allowsLongSuffix: Bool) throws {
        func fail(_ reason: String) -> NumPyError { .malformedHeader(path: path, reason: reason) }
        var parser = PythonLiteralParser(header, allowsLongSuffix: allowsLongSuffix)
        let literal: PythonLiteral
        do {
            literal = try parser.parseAll()
        } catch let error as PythonLiteralParser.Failure {
            throw fail("cannot parse the header dictionary: \(error.reason) at character \(error.offset)")
        }
        guard case .dict(let pairs) = literal else { throw fail("the header is not a dictionary") }
        var values: [String: PythonLiteral] = [:]
        var otherKeys = 0
        for (key, value) in pairs {
            if case .string(let name) = key { values[name] = value } else { otherKeys += 1 }
        }
        let expected: Set<String> = ["descr", "fortran_order", "shape"]
        guard otherKeys == 0, Set(values.keys) == expected else {
            let found = values.keys.sorted().map { "'\(Self.excerpt($0))'" }.joined(separator: ", ")
            throw fail("the keys must be exactly 'descr', 'fortran_order' and 'shape', found \(found)"
                + (otherKeys > 0 ? " and \(otherKeys) non-string key(s)" : ""))
        }
        switch values["shape"] {
        case .tuple(let items)?:
            var extents: [Int] = []
            for item in items {
                switch item {
                case .int(let n): extents.append(n)
                case .bool(let b): extents.append(b ? 1 : 0)  // Python bools are ints
                default: throw fail("shape is not a tuple of integers")
                }
            }
            guard extents.allSatisfy({ $0 >= 0 }) else { throw fail("negative extent in shape \(extents)") }
            guard extents.count <= 32 else { throw fail("too many axes (\(extents.count), at most 32)") }
            shape = extents
        default:
            throw fail("shape is not a tuple of integers")
        }
        guard case .bool(let fortran)? = values["fortran_order"] else {
            throw fail("fortran_order is neither True nor False")
        }
        fortranOrder = fortran
        switch values["descr"] {
        case .string(let descr)?:
            guard let parsed = NumPyDType(descr) else {
                throw NumPyError.unsupportedDType(path: path, descr: Self.excerpt(descr))
            }
            dtype = parsed
        case .list?, .tuple?:
            throw NumPyError.unsupportedDType(path: path, descr: "structured or sub-array dtype")
        default:
            throw fail("descr is not a dtype string")
        }
    }

    static func excerpt(_ text: String) -> String {
        let printable = text.unicodeScalars.prefix(40).map { $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" }
        return String(printable) + (text.unicodeScalars.count > 40 ? "..." : "")
    }
}

/// An element type as NumPy's `np.dtype(descr)` reads a `descr` string: a name (`float32`,
/// `single`, `uint8`, `bool`, ...), or an optional byte order (`<` little, `>` big, `=` native,
/// `|` not applicable) followed by a one-letter code (`f`, `d`, `e`, `i`, `l`, `B`, `?`, ...) or
/// a kind and size (`f4`, `i8`, `u1`, `b1`). Big-endian data is swapped, and unsigned 16-, 32-
/// and 64-bit integers are widened to the next signed type (`uint64` values above `Int64.max`
/// are refused).
struct NumPyDType: Equatable {
    /// `f`, `i`, `u` or `b`.
    var kind: Character
    /// Bytes per stored element.
    var size: Int
    /// Whether the stored bytes are big-endian.
    var bigEndian: Bool

    init?(_ descr: String) {
        if let (kind, size) = Self.names[descr] {
            self.init(kind: kind, size: size, bigEndian: false)
            return
        }
        var rest = Substring(descr)
        var bigEndian = false
        if let first = rest.first, "<>=|".contains(first) {
            bigEndian = first == ">"
            rest = rest.dropFirst()
        }
        if rest.count == 1, let code = rest.first, let (kind, size) = Self.codes[code] {
            self.init(kind: kind, size: size, bigEndian: bigEndian)
            return
        }
        guard let kind = rest.first, "fiub".contains(kind), rest.count > 1,
            rest.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }), let size = Int(rest.dropFirst())
        else { return nil }
        let sizes: [Character: Set<Int>] = ["f": [2, 4, 8, 16], "i": [1, 2, 4, 8], "u": [1, 2, 4, 8], "b": [1]]
        guard sizes[kind]?.contains(size) == true else { return nil }
        self.init(kind: kind, size: size, bigEndian: bigEndian && size > 1)
    }

    init(kind: Character, size: Int, bigEndian: Bool) {
        self.kind = kind
        self.size = size
        self.bigEndian = bigEndian
    }

    /// The element type the array is stored as after reading, or nil when this reader does not
    /// convert it (`float128`).
    var scalarType: ScalarType? {
        switch (kind, size) {
        case ("f", 2): .float16
        case ("f", 4): .float32
        case ("f", 8): .float64
        case ("i", 1): .int8
        case ("i", 2): .int16
        case ("i", 4), ("u", 2): .int32
        case ("i", 8), ("u", 4), ("u", 8): .int64
        case ("u", 1): .uint8
        case ("b", 1): .bool
        default: nil
        }
    }

    /// NumPy's name for error messages (`uint16`, `>f4`).
    var name: String {
        let base = switch kind {
        case "f": "float\(size * 8)"
        case "i": "int\(size * 8)"
        case "u": "uint\(size * 8)"
        default: "bool"
        }
        return bigEndian ? "big-endian \(base)" : base
    }

    /// `count` stored elements from `bytes`, as little-endian elements of ``scalarType``;
    /// nil when a `uint64` value does not fit in `Int64`.
    func convert(_ bytes: UnsafeRawBufferPointer, count: Int) -> [UInt8]? {
        let swapped: [UInt8]
        if bigEndian {
            var copy = [UInt8](bytes)
            for i in 0..<count { copy[(i * size)..<(i * size + size)].reverse() }
            swapped = copy
        } else {
            swapped = [UInt8](bytes)
        }
        guard kind == "u", size > 1 else { return swapped }
        return swapped.withUnsafeBytes { raw -> [UInt8]? in
            switch size {
            case 2:
                let values = (0..<count).map { Int32(raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)) }
                return values.withUnsafeBytes { Array($0) }
            case 4:
                let values = (0..<count).map { Int64(raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) }
                return values.withUnsafeBytes { Array($0) }
            default:
                var values: [Int64] = []
                values.reserveCapacity(count)
                for i in 0..<count {
                    guard let v = Int64(exactly: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)) else {
                        return nil
                    }
                    values.append(v)
                }
                return values.withUnsafeBytes { Array($0) }
            }
        }
    }

    private static let codes: [Character: (Character, Int)] = [
        "?": ("b", 1), "b": ("i", 1), "B": ("u", 1), "h": ("i", 2), "H": ("u", 2), "i": ("i", 4),
        "I": ("u", 4), "l": ("i", 8), "L": ("u", 8), "q": ("i", 8), "Q": ("u", 8), "n": ("i", 8),
        "N": ("u", 8), "p": ("i", 8), "P": ("u", 8), "e": ("f", 2), "f": ("f", 4), "d": ("f", 8),
        "g": ("f", 16),
    ]

    private static let names: [String: (Character, Int)] = [
        "bool": ("b", 1), "bool_": ("b", 1), "float16": ("f", 2), "half": ("f", 2),
        "float32": ("f", 4), "single": ("f", 4), "float64": ("f", 8), "double": ("f", 8),
        "float": ("f", 8), "float128": ("f", 16), "longdouble": ("f", 16), "int8": ("i", 1),
        "byte": ("i", 1), "int16": ("i", 2), "short": ("i", 2), "int32": ("i", 4),
        "intc": ("i", 4), "int64": ("i", 8), "int": ("i", 8), "int_": ("i", 8), "intp": ("i", 8),
        "long": ("i", 8), "longlong": ("i", 8), "uint8": ("u", 1), "ubyte": ("u", 1),
        "uint16": ("u", 2), "ushort": ("u", 2), "uint32": ("u", 4), "uintc": ("u", 4),
        "uint64": ("u", 8), "uint": ("u", 8), "uintp": ("u", 8), "ulong": ("u", 8),
        "ulonglong": ("u", 8),
    ]
}
