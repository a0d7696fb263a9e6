import DiffDubCore
import Foundation

/// A `.npy` file could not be read or written.
package enum NumPyError: LocalizedError, CustomStringConvertible, Equatable {
    /// The file does not start with the `\x93NUMPY` magic.
    case notNumPy(path: String)
    /// Header version other than 1.0, 2.0 or 3.0.
    case unsupportedVersion(path: String, major: UInt8, minor: UInt8)
    /// The header dictionary is malformed or too long.
    case malformedHeader(path: String, reason: String)
    /// `fortran_order` is True (no longer thrown: Fortran-ordered arrays are read and reordered).
    case fortranOrder(path: String)
    /// A `descr` this reader does not handle (big-endian, structured, strings, complex).
    case unsupportedDType(path: String, descr: String)
    /// Fewer data bytes than the shape needs.
    case truncated(path: String, expectedBytes: Int, foundBytes: Int)
    /// The array has another shape or type than the caller needs.
    case unexpectedArray(path: String, reason: String)
    /// The file could not be opened or written.
    case io(path: String, reason: String)
    /// The array holds a NaN or an infinity at `index` (``NumPyFile/readFiniteTensor(_:limits:)``).
    case nonFinite(path: String, index: [Int], value: Float)

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// One line naming the file and the problem.
    package var description: String {
        switch self {
        case .notNumPy(let path): "\(path): not a NumPy .npy file (bad magic)"
        case .unsupportedVersion(let path, let major, let minor):
            "\(path): unsupported .npy format version \(major).\(minor)"
        case .malformedHeader(let path, let reason): "\(path): malformed .npy header: \(reason)"
        case .fortranOrder(let path):
            "\(path): Fortran-ordered arrays are not supported; save with numpy.ascontiguousarray"
        case .unsupportedDType(let path, let descr): "\(path): unsupported dtype '\(descr)'"
        case .truncated(let path, let expected, let found):
            "\(path): truncated .npy data: expected \(expected) bytes, found \(found)"
        case .unexpectedArray(let path, let reason): "\(path): \(reason)"
        case .io(let path, let reason): "\(path): \(reason)"
        case .nonFinite(let path, let index, let value):
            "\(path): element \(index) is \(value); the array must hold finite numbers"
        }
    }
}

/// Reading and writing NumPy `.npy` files (format versions 1.0 to 3.0), read as NumPy reads
/// them: the header is a Python dict literal (`NumPyHeader`), `descr` any spelling
/// `np.dtype` accepts for booleans, integers and floats (big-endian data is swapped, unsigned
/// 16-64-bit integers widened), C or Fortran order.
public enum NumPyFile {
    /// Reads the array at `url`; its header may be at most `limits`'
    /// ``ReaderLimits/maximumNumPyHeaderLength`` bytes (NumPy itself writes far less).
    package static func read(_ url: URL, limits: ReaderLimits = .standard) throws -> NumPyArray {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw NumPyError.io(path: url.path, reason: "cannot read file (\(SystemErrorText.reason(error)))")
        }
        return try decode(data, path: url.path, limits: limits)
    }

    /// Reads `url` as float32 tensor (any numeric dtype is converted).
    public static func readTensor(_ url: URL, limits: ReaderLimits = .standard) throws -> Tensor {
        try read(url, limits: limits).tensor()
    }

    /// Decodes `.npy` bytes within `limits`; `path` is used in errors.
    package static func decode(_ data: Data, path: String, limits: ReaderLimits = .standard) throws -> NumPyArray {
        let (parsed, headerStart, headerLength) = try header(of: data, path: path, limits: limits)
        guard let scalarType = parsed.dtype.scalarType else {
            throw NumPyError.unsupportedDType(path: path, descr: parsed.dtype.name)
        }
        let count = try checkedElementCount(parsed.shape, path: path)
        let (needed, overflow) = count.multipliedReportingOverflow(by: parsed.dtype.size)
        let available = data.count - headerStart - headerLength
        guard !overflow, available >= needed else {
            throw NumPyError.truncated(path: path, expectedBytes: overflow ? Int.max : needed, foundBytes: available)
        }
        let start = data.startIndex + headerStart + headerLength
        guard var bytes = data[start..<(start + needed)].withUnsafeBytes({ parsed.dtype.convert($0, count: count) }) else {
            throw NumPyError.unexpectedArray(path: path, reason: "a uint64 value is above \(Int64.max), the largest integer read")
        }
        if parsed.fortranOrder {
            bytes = cOrder(fromFortranOrder: bytes, shape: parsed.shape, elementSize: scalarType.byteSize)
        }
        return NumPyArray(scalarType: scalarType, shape: parsed.shape, bytes: bytes)
    }

    /// The header of `.npy` bytes (which may stop after it): the parsed dictionary, where the
    /// header text starts and its length; a header longer than `limits`'
    /// ``ReaderLimits/maximumNumPyHeaderLength`` is refused.
    static func header(
        of data: Data, path: String, limits: ReaderLimits = .standard
    ) throws -> (NumPyHeader, start: Int, length: Int) {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard data.count >= 10, Array(data.prefix(6)) == magic else { throw NumPyError.notNumPy(path: path) }
        let major = data[data.startIndex + 6]
        let minor = data[data.startIndex + 7]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(data[data.startIndex + 8]) | Int(data[data.startIndex + 9]) << 8
            headerStart = 10
        case 2, 3:
            guard data.count >= 12 else { throw NumPyError.malformedHeader(path: path, reason: "file ends in the header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(data[data.startIndex + 8 + $1]) << (8 * $1) }
            headerStart = 12
        default:
            throw NumPyError.unsupportedVersion(path: path, major: major, minor: minor)
        }
        guard headerLength <= limits.maximumNumPyHeaderLength else {
            throw NumPyError.malformedHeader(path: path, reason: "header of \(headerLength) bytes is too long")
        }
        guard data.count >= headerStart + headerLength else {
            throw NumPyError.malformedHeader(path: path, reason: "file ends in the header")
        }
        let headerBytes = data.subdata(in: (data.startIndex + headerStart)..<(data.startIndex + headerStart + headerLength))
        guard let header = String(data: headerBytes, encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw NumPyError.malformedHeader(path: path, reason: "header is not text")
        }
        let parsed = try NumPyHeader(parsing: header, path: path, allowsLongSuffix: major <= 2)
        return (parsed, headerStart, headerLength)
    }

    /// The elements of a Fortran-ordered (column-major) array of `shape` in C order.
    static func cOrder(fromFortranOrder bytes: [UInt8], shape: [Int], elementSize: Int) -> [UInt8] {
        guard shape.count > 1, !bytes.isEmpty else { return bytes }
        var strides = [Int](repeating: 1, count: shape.count)  // Fortran strides, in elements
        for axis in 1..<shape.count { strides[axis] = strides[axis - 1] * shape[axis - 1] }
        return bytes.withUnsafeBytes { raw in
            gatherRowMajor(
                from: raw.baseAddress!, count: bytes.count / elementSize, elementSize: elementSize, shape: shape,
                strides: strides)
        }
    }

    /// Reads `url` as a float32 tensor (any numeric dtype is converted) and refuses it with
    /// `NumPyError.nonFinite(path:index:value:)` naming the first NaN or infinity: for inputs
    /// such as Hubert features, noise or latents, where one NaN would spread through the model.
    public static func readFiniteTensor(_ url: URL, limits: ReaderLimits = .standard) throws -> Tensor {
        let tensor = try readTensor(url, limits: limits)
        if let bad = tensor.firstNonFinite() {
            throw NumPyError.nonFinite(path: url.path, index: bad.index, value: bad.value)
        }
        return tensor
    }

    private static func checkedElementCount(_ shape: [Int], path: String) throws -> Int {
        var n = 1
        for extent in shape {
            guard extent >= 0 else { throw NumPyError.malformedHeader(path: path, reason: "negative extent") }
            let (product, overflow) = n.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw NumPyError.malformedHeader(path: path, reason: "shape \(shape) is too large") }
            n = product
        }
        return n
    }

    /// Encodes `array` as a version 1.0 `.npy` (2.0 if the header needs it).
    package static func encode(_ array: NumPyArray) -> Data {
        let descr: String
        switch array.scalarType {
        case .float32: descr = "<f4"
        case .float16: descr = "<f2"
        case .float64: descr = "<f8"
        case .int64: descr = "<i8"
        case .int32: descr = "<i4"
        case .int16: descr = "<i2"
        case .int8: descr = "|i1"
        case .uint8: descr = "|u1"
        case .bool: descr = "|b1"
        case .bfloat16: descr = "<V2"
        }
        let shapeText: String
        switch array.shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(array.shape[0]),)"
        default: shapeText = "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        let version2 = header.utf8.count + 11 > 65535
        let prefix = version2 ? 12 : 10
        let padding = (64 - (prefix + header.utf8.count + 1) % 64) % 64
        header += String(repeating: " ", count: padding) + "\n"
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version2 ? 2 : 1, 0])
        let length = header.utf8.count
        if version2 {
            data.append(contentsOf: (0..<4).map { UInt8((length >> (8 * $0)) & 0xFF) })
        } else {
            data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        }
        data.append(contentsOf: Array(header.utf8))
        data.append(contentsOf: array.bytes)
        return data
    }

    /// Writes `array` to `url` atomically (temporary name, then rename).
    package static func write(_ array: NumPyArray, to url: URL) throws {
        try AtomicFile.write(encode(array), to: url)
    }

    /// Writes `tensor` as float32 to `url` atomically.
    public static func write(_ tensor: Tensor, to url: URL) throws {
        try write(NumPyArray(tensor), to: url)
    }
}
