import DiffDubCore
import DiffDubIO
import Foundation

/// Writes pickle opcodes by hand, to build small synthetic `torch.save` files in tests.
struct PickleBuilder {
    private(set) var bytes: [UInt8] = [0x80, 0x02]  // PROTO 2

    mutating func op(_ code: UInt8) { bytes.append(code) }
    mutating func raw(_ more: [UInt8]) { bytes.append(contentsOf: more) }

    mutating func mark() { op(0x28) }
    mutating func emptyDict() { op(0x7D) }
    mutating func emptyTuple() { op(0x29) }
    mutating func tuple() { op(0x74) }
    mutating func setItems() { op(0x75) }
    mutating func reduce() { op(0x52) }
    mutating func build() { op(0x62) }
    mutating func none() { op(0x4E) }
    mutating func bool(_ value: Bool) { op(value ? 0x88 : 0x89) }
    mutating func stop() { op(0x2E) }

    mutating func int(_ value: Int) {
        if (0..<256).contains(value) {
            raw([0x4B, UInt8(value)])
        } else {
            op(0x4A)
            raw(withUnsafeBytes(of: Int32(value).littleEndian, Array.init))
        }
    }

    mutating func string(_ text: String) {
        let utf8 = Array(text.utf8)
        op(0x58)
        raw(withUnsafeBytes(of: UInt32(utf8.count).littleEndian, Array.init))
        raw(utf8)
    }

    mutating func global(_ module: String, _ name: String) {
        op(0x63)
        raw(Array("\(module)\n\(name)\n".utf8))
    }

    mutating func intTuple(_ values: [Int]) {
        mark()
        for value in values { int(value) }
        tuple()
    }

    /// `_rebuild_tensor_v2(('storage', torch.<type>, key, 'cpu', numel), offset, shape, strides, False, OrderedDict())`.
    mutating func tensor(storageType: String, key: String, numel: Int, offset: Int, shape: [Int], strides: [Int]) {
        global("torch._utils", "_rebuild_tensor_v2")
        mark()
        mark()
        string("storage")
        global("torch", storageType)
        string(key)
        string("cpu")
        int(numel)
        tuple()
        op(0x51)  // BINPERSID
        int(offset)
        intTuple(shape)
        intTuple(strides)
        bool(false)
        global("collections", "OrderedDict")
        emptyTuple()
        reduce()
        tuple()
        reduce()
    }
}

/// Writes a zip archive of stored entries (what `torch.save` produces), optionally marking
/// entries as compressed to test the refusal.
struct ZipBuilder {
    var entries: [(name: String, data: [UInt8], method: UInt16)] = []

    mutating func add(_ name: String, _ data: [UInt8], method: UInt16 = 0) {
        entries.append((name, data, method))
    }

    func build() -> Data {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func u16(_ v: UInt16, into a: inout [UInt8]) { a += withUnsafeBytes(of: v.littleEndian, Array.init) }
        func u32(_ v: UInt32, into a: inout [UInt8]) { a += withUnsafeBytes(of: v.littleEndian, Array.init) }
        for entry in entries {
            let offset = UInt32(out.count)
            let name = Array(entry.name.utf8)
            u32(0x0403_4B50, into: &out)
            u16(20, into: &out)
            u16(0, into: &out)
            u16(entry.method, into: &out)
            u32(0, into: &out)  // time, date
            u32(0, into: &out)  // crc (not checked)
            u32(UInt32(entry.data.count), into: &out)
            u32(UInt32(entry.data.count), into: &out)
            u16(UInt16(name.count), into: &out)
            u16(0, into: &out)
            out += name
            out += entry.data

            u32(0x0201_4B50, into: &central)
            u16(20, into: &central)
            u16(20, into: &central)
            u16(0, into: &central)
            u16(entry.method, into: &central)
            u32(0, into: &central)
            u32(0, into: &central)
            u32(UInt32(entry.data.count), into: &central)
            u32(UInt32(entry.data.count), into: &central)
            u16(UInt16(name.count), into: &central)
            u16(0, into: &central)
            u16(0, into: &central)
            u16(0, into: &central)
            u16(0, into: &central)
            u32(0, into: &central)
            u32(offset, into: &central)
            central += name
        }
        let directoryOffset = UInt32(out.count)
        out += central
        u32(0x0605_4B50, into: &out)
        u16(0, into: &out)
        u16(0, into: &out)
        u16(UInt16(entries.count), into: &out)
        u16(UInt16(entries.count), into: &out)
        u32(UInt32(central.count), into: &out)
        u32(directoryOffset, into: &out)
        u16(0, into: &out)
        return Data(out)
    }
}

/// Little-endian bytes of values.
func littleEndianBytes<T>(_ values: [T]) -> [UInt8] {
    values.withUnsafeBytes { Array($0) }
}

/// The folder of this test process's temporary files, removed when the process exits (the
/// files are memory-mapped by the readers under test, so they live until then).
let temporaryFilesRoot: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("diffdub-io-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: temporaryFilesRoot) }
    return url
}()

/// A fresh temporary folder for one test (inside ``temporaryFilesRoot``).
func temporaryFolder() throws -> URL {
    let url = temporaryFilesRoot.appendingPathComponent(UUID().uuidString.prefix(8).description)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `data` into a fresh temporary file named `name` and returns its URL.
func temporaryFile(_ name: String, _ data: Data) throws -> URL {
    let url = try temporaryFolder().appendingPathComponent(name)
    try data.write(to: url)
    return url
}
