import DiffDubCore
import Foundation

/// What a fixture file helper could not read or use.
package struct FixtureError: Error, CustomStringConvertible {
    /// What is wrong, naming the fixture.
    package let description: String

    /// An error saying `description`.
    package init(description: String) { self.description = description }
}

/// An array read from one of the fixtures' `.npy` files by a reader of the tests' own, so that
/// DiffDubCore's tests need no DiffDubIO (whose `NumPyFile` is the project's real reader, tested
/// on its own and against this one).
///
/// It reads only what `Tests/Fixtures` holds: format versions 1 to 3, little-endian `<f4`,
/// `<f8`, `<i8`, `<i2` and `|u1`, in C or Fortran order. Values are kept in C (row-major) order.
package struct FixtureArray {
    /// The stored values, by type, in C order.
    package enum Values: Equatable {
        /// `<f4`.
        case float32([Float])
        /// `<f8`.
        case float64([Double])
        /// `<i8`.
        case int64([Int64])
        /// `<i2` (16-bit samples).
        case int16([Int16])
        /// `|u1`.
        case uint8([UInt8])
    }

    /// The array's shape.
    package let shape: [Int]
    /// The values in C order.
    package let values: Values

    /// Reads the `.npy` file at `url`.
    package init(contentsOf url: URL) throws {
        try self.init(decoding: try Data(contentsOf: url), path: url.path)
    }

    /// Decodes `.npy` bytes; `path` names the file in errors.
    package init(decoding data: Data, path: String) throws {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0..<6].elementsEqual([0x93] + Array("NUMPY".utf8)), (1...3).contains(bytes[6])
        else { throw FixtureError(description: "\(path): not a version 1-3 .npy file") }
        let lengthSize = bytes[6] == 1 ? 2 : 4
        let headerLength = (0..<lengthSize).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        let start = 8 + lengthSize + headerLength
        guard start <= bytes.count else { throw FixtureError(description: "\(path): header runs past the end") }
        let header = String(decoding: bytes[(8 + lengthSize)..<start], as: UTF8.self)
        guard let descr = Self.field("'descr': '", upTo: "'", in: header),
            let shapeText = Self.field("'shape': (", upTo: ")", in: header)
        else { throw FixtureError(description: "\(path): header without descr or shape: \(header)") }
        let shape = try shapeText.split(separator: ",").map { part -> Int in
            guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n >= 0 else {
                throw FixtureError(description: "\(path): shape (\(shapeText)) is not a tuple of sizes")
            }
            return n
        }
        let fortranOrder = header.contains("'fortran_order': True")
        let count = shape.reduce(1, *)
        let payload = Array(bytes[start...])

        func load<T>(_: T.Type) throws -> [T] {
            guard payload.count == count * MemoryLayout<T>.size else {
                throw FixtureError(description: "\(path): \(payload.count) data bytes, \(shape) \(descr) needs \(count * MemoryLayout<T>.size)")
            }
            let stored = payload.withUnsafeBytes { raw in
                (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self) }
            }
            return fortranOrder ? Self.cOrder(fromFortran: stored, shape: shape) : stored
        }
        switch descr {
        case "<f4": values = .float32(try load(Float.self))
        case "<f8": values = .float64(try load(Double.self))
        case "<i8": values = .int64(try load(Int64.self))
        case "<i2": values = .int16(try load(Int16.self))
        case "|u1": values = .uint8(try load(UInt8.self))
        default: throw FixtureError(description: "\(path): dtype \(descr) is not one the fixtures use")
        }
        self.shape = shape
    }

    /// The values as a float tensor (every type converted).
    package func tensor() -> Tensor {
        switch values {
        case .float32(let v): Tensor(shape: shape, scalars: v)
        case .float64(let v): Tensor(shape: shape, scalars: v.map { Float($0) })
        case .int64(let v): Tensor(shape: shape, scalars: v.map { Float($0) })
        case .int16(let v): Tensor(shape: shape, scalars: v.map { Float($0) })
        case .uint8(let v): Tensor(shape: shape, scalars: v.map { Float($0) })
        }
    }

    /// The values of a `|u1` array, else nil.
    package var uint8Values: [UInt8]? { if case .uint8(let v) = values { v } else { nil } }

    /// The values of a `<i8` array, else nil.
    package var int64Values: [Int64]? { if case .int64(let v) = values { v } else { nil } }

    /// The text between `prefix` and the next `terminator` in `header`.
    static func field(_ prefix: String, upTo terminator: Character, in header: String) -> String? {
        guard let range = header.range(of: prefix) else { return nil }
        let rest = header[range.upperBound...]
        return rest.firstIndex(of: terminator).map { String(rest[..<$0]) }
    }

    /// Column-major `stored` values of `shape` in row-major order: element `[i0, ..., ik]` is
    /// stored at `i0 + shape[0] * (i1 + shape[1] * (...))`.
    static func cOrder<T>(fromFortran stored: [T], shape: [Int]) -> [T] {
        var result: [T] = []
        result.reserveCapacity(stored.count)
        var index = [Int](repeating: 0, count: shape.count)
        for _ in 0..<stored.count {
            var offset = 0
            for axis in shape.indices.reversed() { offset = offset * shape[axis] + index[axis] }
            result.append(stored[offset])
            for axis in shape.indices.reversed() {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
            }
        }
        return result
    }
}
