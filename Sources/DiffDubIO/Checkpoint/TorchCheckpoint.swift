import DiffDubCore
import Foundation

/// A `torch.save` file read without Python: the zip format of PyTorch 1.6+ or the legacy
/// format before it.
///
/// ```swift
/// let weights = try TorchCheckpoint.stateDict(contentsOf: url)       // tensors, lazily loaded
/// let ema = weights.selecting(prefix: "ema_model.")
/// ```
///
/// The file is memory-mapped; tensors are read when their record is loaded, and contiguous
/// float32 tensors borrow the mapped memory without copying.
public struct TorchCheckpoint: Sendable {
    /// The two container layouts of `torch.save`.
    package enum Format: String, Sendable {
        /// PyTorch 1.6+: a stored zip with `<archive>/data.pkl` and `<archive>/data/<key>`.
        case zip = "torch-zip"
        /// Before 1.6: magic, protocol and sys-info pickles, the main pickle, the storage key
        /// list, then each storage as an int64 element count followed by its raw data.
        case legacy = "torch-legacy"
    }

    /// The file's path.
    package let path: String
    /// Which layout the file uses.
    package let format: Format
    /// The whole unpickled object (Lightning extras and all, unknown objects left inert).
    package let root: PickleValue
    /// The tensors of the `state_dict` entry (or of the top-level dict when there is none).
    public let stateDict: StateDict

    /// The `torch.save` zip magic (a zip local header).
    static let zipMagic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

    /// Opens and decodes `url` within `limits` (pickle, zip and tensor bounds).
    ///
    /// - Throws: `CheckpointError` naming the file and what is wrong.
    public static func open(_ url: URL, limits: ReaderLimits = .standard) throws -> TorchCheckpoint {
        try open(try MappedFile(path: url.path), limits: limits)
    }

    /// Decodes the checkpoint bytes `data`; `path` names them in errors.
    public static func open(
        data: UnsafeRawBufferPointer, path: String, limits: ReaderLimits = .standard
    ) throws -> TorchCheckpoint {
        try open(MappedFile(copying: data, path: path), limits: limits)
    }

    /// Decodes the checkpoint held by `file` (mapped or in memory) within `limits`.
    package static func open(_ file: MappedFile, limits: ReaderLimits = .standard) throws -> TorchCheckpoint {
        guard file.count >= 4 else {
            throw CheckpointError.unrecognizedFormat(path: file.path, reason: "file too short")
        }
        if Array(file.bytes.prefix(4)) == zipMagic {
            return try readZip(file, limits: limits)
        }
        if file.bytes[0] == 0x80 {
            return try readLegacy(file, limits: limits)
        }
        throw CheckpointError.unrecognizedFormat(path: file.path, reason: "neither a zip nor a pickle")
    }

    /// The state dict of the checkpoint at `url` (see ``stateDict``); its `source` is the path.
    package static func stateDict(contentsOf url: URL, limits: ReaderLimits = .standard) throws -> StateDict {
        try open(url, limits: limits).stateDict
    }

    /// The top-level `{name: tensor}` mapping of `root`: `root['state_dict']` when it is a
    /// dict, else `root` itself. Other entries and nested dicts are ignored.
    package static func stateDictEntries(of root: PickleValue) -> [(key: String, tensor: TorchTensorReference)] {
        var container = root
        switch root["state_dict"] {
        case .some(let inner) where isMapping(inner): container = inner
        default: break
        }
        let entries: [(key: PickleValue, value: PickleValue)]
        switch container {
        case .dict(let pairs): entries = pairs
        case .object(let object): entries = object.entries
        default: entries = []
        }
        return entries.compactMap { entry in
            guard case .string(let key) = entry.key, case .tensor(let tensor) = entry.value else { return nil }
            return (key, tensor)
        }
    }

    private static func isMapping(_ value: PickleValue) -> Bool {
        switch value {
        case .dict, .object: true
        default: false
        }
    }

    // MARK: - Zip format

    private static func readZip(_ file: MappedFile, limits: ReaderLimits) throws -> TorchCheckpoint {
        let archive = try ZipArchive(file, limits: limits)
        let path = file.path
        let pickleEntries = archive.entries.filter { $0.name == "data.pkl" || $0.name.hasSuffix("/data.pkl") }
        guard let pickleEntry = pickleEntries.min(by: { $0.name.count < $1.name.count }) else {
            throw CheckpointError.missingRecord(path: path, name: "data.pkl")
        }
        let prefix = String(pickleEntry.name.dropLast("data.pkl".count))
        if let order = archive.entry(named: prefix + "byteorder") {
            let range = try archive.dataRange(of: order)
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: file.bytes[range]), as: UTF8.self)
            if text.trimmingCharacters(in: .whitespacesAndNewlines) == "big" {
                throw CheckpointError.bigEndian(path: path)
            }
        }
        let pickleRange = try archive.dataRange(of: pickleEntry)
        let root = try Unpickler.load(
            UnsafeRawBufferPointer(rebasing: file.bytes[pickleRange]), baseOffset: pickleRange.lowerBound, path: path,
            limits: limits
        ).value
        var records: [String: TensorRecord] = [:]
        for (key, tensor) in stateDictEntries(of: root) {
            let recordName = "data/" + tensor.storage.key
            guard let entry = archive.entry(named: prefix + recordName) else {
                throw CheckpointError.missingRecord(path: path, name: recordName)
            }
            let stored = try storedTensor(
                key: key, tensor, file: file, storageBytes: try archive.dataRange(of: entry), limits: limits)
            records[key] = stored.record
        }
        return TorchCheckpoint(
            path: path, format: .zip, root: root, stateDict: StateDict(source: path, records: records))
    }

    /// Checks the declared storage size against its record, then the tensor against both.
    private static func storedTensor(
        key: String, _ tensor: TorchTensorReference, file: MappedFile, storageBytes: Range<Int>, limits: ReaderLimits
    ) throws -> StoredTensor {
        let storage = tensor.storage
        let size = storage.scalarType.byteSize
        // `elementCount` is the size of the whole record's storage (legacy views included).
        let (declared, overflow) = storage.elementCount.multipliedReportingOverflow(by: size)
        guard !overflow, declared <= storageBytes.count else {
            throw CheckpointError.tensorOutOfBounds(
                path: file.path, key: key,
                reason: "storage '\(storage.key)' declares \(storage.elementCount) \(storage.scalarType) elements "
                    + "but its record holds \(storageBytes.count) bytes")
        }
        let (elementOffset, offsetOverflow) = storage.viewOffset.addingReportingOverflow(tensor.storageOffset)
        guard !offsetOverflow else {
            throw CheckpointError.tensorOutOfBounds(path: file.path, key: key, reason: "storage offset is too large")
        }
        return try StoredTensor(
            file: file, key: key, scalarType: storage.scalarType, shape: tensor.shape, strides: tensor.strides,
            elementOffset: elementOffset, storageBytes: storageBytes.lowerBound..<(storageBytes.lowerBound + declared),
            limits: limits)
    }

    // MARK: - Legacy format

    /// `0x1950a86a20f9469cfc6c`, little-endian, as `LONG1` stores it.
    static let legacyMagic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    private static func readLegacy(_ file: MappedFile, limits: ReaderLimits) throws -> TorchCheckpoint {
        let path = file.path
        var cursor = 0
        func nextPickle() throws -> (PickleValue, Int) {
            let start = cursor
            let (value, length) = try Unpickler.load(
                UnsafeRawBufferPointer(rebasing: file.bytes[cursor...]), baseOffset: cursor, path: path, limits: limits)
            cursor += length
            return (value, start)
        }
        let (magic, _) = try nextPickle()
        guard case .bigInt(let digits) = magic, digits == legacyMagic else {
            throw CheckpointError.unrecognizedFormat(
                path: path, reason: "a pickle without the torch legacy magic number")
        }
        let (protocolVersion, _) = try nextPickle()
        guard protocolVersion.intValue == 1001 else {
            throw CheckpointError.unrecognizedFormat(path: path, reason: "legacy protocol version is not 1001")
        }
        let (systemInfo, _) = try nextPickle()
        if case .bool(false) = systemInfo["little_endian"] ?? .bool(true) {
            throw CheckpointError.bigEndian(path: path)
        }
        var main = Unpickler(
            bytes: UnsafeRawBufferPointer(rebasing: file.bytes[cursor...]), baseOffset: cursor, path: path,
            limits: limits)
        let root = try main.decode()
        let rootStorageTypes = main.storageTypes
        cursor += main.length
        let (keyList, keyListOffset) = try nextPickle()
        guard let keyItems = keyList.sequence else {
            throw CheckpointError.malformedPickle(
                path: path, offset: keyListOffset, reason: "storage key list is not a list")
        }
        // Element types of every storage the main pickle mentions.
        let types = rootStorageTypes
        // Storages follow in key-list order: int64 element count, then the raw elements.
        let reader = ByteReader(file.bytes, path: path)
        var regions: [String: Range<Int>] = [:]
        for item in keyItems {
            guard let key = item.stringValue else {
                throw CheckpointError.malformedPickle(
                    path: path, offset: keyListOffset, reason: "storage key is not a str")
            }
            guard let type = types[key] else {
                throw CheckpointError.malformedPickle(
                    path: path, offset: keyListOffset, reason: "storage '\(key)' is not referenced by the pickle")
            }
            let count = try reader.int64(cursor)
            let (bytes, overflow) = count.multipliedReportingOverflow(by: type.byteSize)
            let start = cursor + 8
            guard !overflow, start <= file.count, bytes <= file.count - start else {
                throw CheckpointError.truncated(path: path, what: "storage '\(key)' reaches past the end of the file")
            }
            regions[key] = start..<(start + bytes)
            cursor = start + bytes
        }
        var records: [String: TensorRecord] = [:]
        for (key, tensor) in stateDictEntries(of: root) {
            guard let region = regions[tensor.storage.key] else {
                throw CheckpointError.missingRecord(path: path, name: "storage \(tensor.storage.key)")
            }
            records[key] = try storedTensor(key: key, tensor, file: file, storageBytes: region, limits: limits).record
        }
        return TorchCheckpoint(
            path: path, format: .legacy, root: root, stateDict: StateDict(source: path, records: records))
    }
}
