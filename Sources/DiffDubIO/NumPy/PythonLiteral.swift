/// A Python literal, as `ast.literal_eval` builds it from an `.npy` header.
indirect enum PythonLiteral: Equatable {
    case string(String)
    case bytes([UInt8])
    case int(Int)
    case float(Double)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case set([PythonLiteral])
    /// Key-value pairs in source order (duplicates kept; the reader keeps the last).
    case dict([(PythonLiteral, PythonLiteral)])

    static func == (a: PythonLiteral, b: PythonLiteral) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): x == y
        case (.bytes(let x), .bytes(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.float(let x), .float(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.none, .none): true
        case (.tuple(let x), .tuple(let y)), (.list(let x), .list(let y)), (.set(let x), .set(let y)): x == y
        case (.dict(let x), .dict(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }
}

/// A recursive-descent reader of the Python literal grammar `ast.literal_eval` accepts, as far
/// as `.npy` headers use it: dicts, tuples, lists, sets, strings (quotes, escapes, `u`/`b`/`r`
/// prefixes, adjacent strings joined), integers (`_` separators, `0x`/`0o`/`0b`, signs, and the
/// Python 2 `L` suffix when allowed), floats, `True`, `False`, `None`, comments and line
/// continuations. Nesting is limited to ``maximumDepth`` so a hostile header cannot exhaust
/// the stack.
struct PythonLiteralParser {
    struct Failure: Error {
        var reason: String
        var offset: Int
    }

    static let maximumDepth = 64

    private let scalars: [Unicode.Scalar]
    private let allowsLongSuffix: Bool
    private var position = 0
    private var depth = 0

    init(_ text: String, allowsLongSuffix: Bool) {
        scalars = Array(text.unicodeScalars)
        self.allowsLongSuffix = allowsLongSuffix
    }

    /// The one literal `text` holds (surrounding blanks allowed).
    mutating func parseAll() throws -> PythonLiteral {
        let value = try parseValue()
        skipBlanks()
        guard position == scalars.count else { throw fail("unexpected text after the literal") }
        return value
    }

    private func fail(_ reason: String) -> Failure { Failure(reason: reason, offset: position) }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func skipBlanks() {
        while let c = current {
            switch c {
            case " ", "\t", "\n", "\r", "\u{0C}": position += 1
            case "#":
                while let d = current, d != "\n" && d != "\r" { position += 1 }
            case "\\" where position + 1 < scalars.count && (scalars[position + 1] == "\n" || scalars[position + 1] == "\r"):
                position += 2
            default: return
            }
        }
    }

    private mutating func expect(_ c: Unicode.Scalar) throws {
        skipBlanks()
        guard current == c else { throw fail("expected '\(c)'") }
        position += 1
    }

    private mutating func parseValue() throws -> PythonLiteral {
        skipBlanks()
        guard let c = current else { throw fail("unexpected end of text") }
        switch c {
        case "{", "(", "[":
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else { throw fail("nested deeper than \(Self.maximumDepth)") }
            position += 1
            if c == "{" { return try parseBraces() }
            return try parseSequence(close: c == "(" ? ")" : "]", isTuple: c == "(")
        case "'", "\"":
            return try parseStrings()
        case "+", "-":
            position += 1
            let value = try parseValue()
            switch value {
            case .int(let n):
                if c == "+" { return value }
                guard n != Int.min else { throw fail("integer too large") }
                return .int(-n)
            case .float(let x): return .float(c == "-" ? -x : x)
            case .bool(let b): return .int(c == "-" ? -(b ? 1 : 0) : (b ? 1 : 0))  // Python: -True == -1
            default: throw fail("sign before a non-number")
            }
        case "0"..."9", ".":
            return try parseNumber()
        default:
            let word = readWord()
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            default:
                let lower = word.lowercased()
                if ["u", "b", "r", "br", "rb"].contains(lower), current == "'" || current == "\"" {
                    return try parseStrings(prefix: lower)
                }
                throw fail(word.isEmpty ? "unexpected character U+\(String(c.value, radix: 16))" : "unknown name '\(NumPyHeader.excerpt(word))'")
            }
        }
    }

    private mutating func readWord() -> String {
        var word = ""
        while let c = current, c.isASCII, c.properties.isAlphabetic || c == "_" || ("0"..."9").contains(c) {
            word.unicodeScalars.append(c)
            position += 1
        }
        return word
    }

    /// After `{`: a dict, or a set (`{1, 2}`).
    private mutating func parseBraces() throws -> PythonLiteral {
        skipBlanks()
        if current == "}" {
            position += 1
            return .dict([])
        }
        let first = try parseValue()
        skipBlanks()
        if current == ":" {
            position += 1
            var pairs = [(first, try parseValue())]
            while true {
                skipBlanks()
                if current == "}" { position += 1; return .dict(pairs) }
                try expect(",")
                skipBlanks()
                if current == "}" { position += 1; return .dict(pairs) }
                let key = try parseValue()
                try expect(":")
                pairs.append((key, try parseValue()))
            }
        }
        var items = [first]
        while true {
            skipBlanks()
            if current == "}" { position += 1; return .set(items) }
            try expect(",")
            skipBlanks()
            if current == "}" { position += 1; return .set(items) }
            items.append(try parseValue())
        }
    }

    /// After `(` or `[`: `()` is an empty tuple, `(x)` is `x`, `(x,)` a tuple of one.
    private mutating func parseSequence(close: Unicode.Scalar, isTuple: Bool) throws -> PythonLiteral {
        var items: [PythonLiteral] = []
        var sawComma = false
        while true {
            skipBlanks()
            if current == close {
                position += 1
                if isTuple && items.count == 1 && !sawComma { return items[0] }
                return isTuple ? .tuple(items) : .list(items)
            }
            if !items.isEmpty {
                try expect(",")
                sawComma = true
                skipBlanks()
                if current == close { continue }
            }
            items.append(try parseValue())
        }
    }

    /// One or more adjacent string literals (joined, as Python joins them).
    private mutating func parseStrings(prefix: String = "") throws -> PythonLiteral {
        var isBytes = prefix.contains("b")
        var text = try parseString(raw: prefix.contains("r"))
        while true {
            let saved = position
            skipBlanks()
            var nextPrefix = ""
            if let c = current, c.properties.isAlphabetic {
                nextPrefix = readWord().lowercased()
                guard ["u", "b", "r", "br", "rb"].contains(nextPrefix), current == "'" || current == "\"" else {
                    position = saved
                    break
                }
            }
            guard current == "'" || current == "\"" else {
                position = saved
                break
            }
            guard nextPrefix.contains("b") == isBytes else { throw fail("cannot mix bytes and str literals") }
            isBytes = isBytes || nextPrefix.contains("b")
            text += try parseString(raw: nextPrefix.contains("r"))
        }
        if isBytes {
            guard text.unicodeScalars.allSatisfy({ $0.value < 0x80 }) else { throw fail("non-ASCII bytes literal") }
            return .bytes(text.unicodeScalars.map { UInt8($0.value) })
        }
        return .string(text)
    }

    /// A quoted string (single, double or triple quotes) at the cursor.
    private mutating func parseString(raw: Bool) throws -> String {
        guard let quote = current else { throw fail("expected a string") }
        let triple = position + 2 < scalars.count && scalars[position + 1] == quote && scalars[position + 2] == quote
        position += triple ? 3 : 1
        var text = String.UnicodeScalarView()
        while true {
            guard let c = current else { throw fail("unterminated string") }
            if c == quote {
                if !triple { position += 1; return String(text) }
                if position + 2 < scalars.count && scalars[position + 1] == quote && scalars[position + 2] == quote {
                    position += 3
                    return String(text)
                }
            }
            if !triple && (c == "\n" || c == "\r") { throw fail("line end inside a string") }
            position += 1
            guard c == "\\" else { text.append(c); continue }
            guard let e = current else { throw fail("unterminated string") }
            position += 1
            if raw {
                text.append("\\")
                text.append(e)
                continue
            }
            switch e {
            case "n": text.append("\n")
            case "t": text.append("\t")
            case "r": text.append("\r")
            case "0"..."7":
                var value = e.value - 48
                var digits = 1
                while digits < 3, let d = current, ("0"..."7").contains(d) {
                    value = value * 8 + d.value - 48
                    position += 1
                    digits += 1
                }
                text.append(Unicode.Scalar(value) ?? "?")
            case "x", "u", "U":
                let count = e == "x" ? 2 : e == "u" ? 4 : 8
                guard position + count <= scalars.count,
                    let value = UInt32(String(String.UnicodeScalarView(scalars[position..<(position + count)])), radix: 16),
                    let scalar = Unicode.Scalar(value)
                else { throw fail("bad \\\(e) escape") }
                position += count
                text.append(scalar)
            case "\n": break
            case "a": text.append("\u{07}")
            case "b": text.append("\u{08}")
            case "f": text.append("\u{0C}")
            case "v": text.append("\u{0B}")
            case "\\", "'", "\"": text.append(e)
            default:
                text.append("\\")
                text.append(e)
            }
        }
    }

    /// An integer or float literal at the cursor.
    private mutating func parseNumber() throws -> PythonLiteral {
        let start = position
        while let c = current, c.isASCII, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "."
            || ((c == "+" || c == "-") && position > start && "eE".unicodeScalars.contains(scalars[position - 1])
                && !String(String.UnicodeScalarView(scalars[start..<position])).lowercased().hasPrefix("0x"))
        {
            position += 1
        }
        var text = String(String.UnicodeScalarView(scalars[start..<position]))
        if allowsLongSuffix, text.count > 1, text.hasSuffix("L") || text.hasSuffix("l") { text.removeLast() }
        guard !text.hasPrefix("_"), !text.hasSuffix("_"), !text.contains("__") else { throw fail("bad number '\(text)'") }
        let digits = text.replacingOccurrences(of: "_", with: "")
        let lower = digits.lowercased()
        let radix: Int? = lower.hasPrefix("0x") ? 16 : lower.hasPrefix("0o") ? 8 : lower.hasPrefix("0b") ? 2 : nil
        if let radix {
            let body = lower.dropFirst(2)
            guard !body.isEmpty, let value = Int(body, radix: radix) else { throw fail("bad or too large integer '\(NumPyHeader.excerpt(text))'") }
            return .int(value)
        }
        if lower.allSatisfy({ $0.isASCII && $0.isNumber }) {
            // Python 3 refuses leading zeros in a non-zero decimal integer.
            guard lower.count == 1 || !lower.hasPrefix("0") || lower.allSatisfy({ $0 == "0" }) else {
                throw fail("leading zeros in '\(NumPyHeader.excerpt(text))'")
            }
            guard let value = Int(lower) else { throw fail("integer '\(NumPyHeader.excerpt(text))' is too large") }
            return .int(value)
        }
        guard !lower.hasSuffix("j"), let value = Double(lower), !lower.contains("n"), !lower.contains("i") else {
            throw fail("bad number '\(NumPyHeader.excerpt(text))'")
        }
        return .float(value)
    }
}
