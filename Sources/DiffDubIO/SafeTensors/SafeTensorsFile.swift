import DiffDubCore
import Foundation

/// Reading and writing [safetensors](https://github.com/huggingface/safetensors) files.
///
/// Layout: an 8-byte little-endian header length `N`, `N` bytes of JSON
/// `{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ..., "__metadata__": {..}}`,
/// then the data; offsets are relative to the first byte after the header and every tensor
/// is contiguous, row-major, little-endian.
public enum SafeTensorsFile {
    /// The dtype names of the format for each ``ScalarType``.
    package static func dtypeName(of type: ScalarType) -> String {
        switch type {
        case .float32: "F32"
        case .float16: "F16"
        case .bfloat16: "BF16"
        case .float64: "F64"
        case .int64: "I64"
        case .int32: "I32"
        case .int16: "I16"
        case .int8: "I8"
        case .uint8: "U8"
        case .bool: "BOOL"
        }
    }

    /// The ``ScalarType`` of a dtype name, or `nil` for types this reader does not convert
    /// (`U16`, `U32`, `U64`, `F8_*`).
    package static func scalarType(ofDTypeName name: String) -> ScalarType? {
        ScalarType.allCases.first { dtypeName(of: $0) == name }
    }

    /// The tensors of the file at `url` as a lazily loaded state dict (source: the path).
    ///
    /// The file is memory-mapped; contiguous, aligned F32 data is not copied.
    public static func stateDict(contentsOf url: URL, limits: ReaderLimits = .standard) throws -> StateDict {
        try open(url, limits: limits).stateDict
    }

    /// The tensors and the `__metadata__` of the file at `url`.
    package static func open(
        _ url: URL, limits: ReaderLimits = .standard
    ) throws -> (stateDict: StateDict, metadata: [String: String]) {
        try open(try MappedFile(path: url.path), limits: limits)
    }

    /// The tensors and the `__metadata__` of the safetensors bytes held by `file` (mapped
    /// or in memory, ``MappedFile/init(copying:path:)``). The JSON header may be at most `limits`'
    /// ``ReaderLimits/maximumSafeTensorsHeaderLength`` bytes (by default 100 MB, the limit of
    /// the reference implementation).
    package static func open(
        _ file: MappedFile, limits: ReaderLimits = .standard
    ) throws -> (stateDict: StateDict, metadata: [String: String]) {
        let path = file.path
        let reader = ByteReader(file.bytes, path: path)
        guard file.count >= 8 else { throw CheckpointError.truncated(path: path, what: "no safetensors header length") }
        let headerLength = try reader.int64(0)
        guard headerLength <= limits.maximumSafeTensorsHeaderLength else {
            throw CheckpointError.malformedSafeTensors(
                path: path, reason: "header of \(headerLength) bytes is too long")
        }
        guard headerLength <= file.count - 8 else {
            throw CheckpointError.truncated(path: path, what: "header of \(headerLength) bytes is longer than the file")
        }
        let headerData = Data(UnsafeRawBufferPointer(rebasing: file.bytes[8..<(8 + headerLength)]))
        guard let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any] else {
            throw CheckpointError.malformedSafeTensors(path: path, reason: "header is not a JSON object")
        }
        let dataStart = 8 + headerLength
        let dataLength = file.count - dataStart
        var records: [String: TensorRecord] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                if let entries = value as? [String: Any] {
                    for (key, item) in entries { metadata[key] = item as? String ?? "\(item)" }
                }
                continue
            }
            func malformed(_ reason: String) -> CheckpointError {
                .malformedSafeTensors(path: path, reason: "tensor '\(name)': \(reason)")
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = integers(entry["shape"]), let offsets = integers(entry["data_offsets"]), offsets.count == 2
            else { throw malformed("needs dtype, shape and data_offsets") }
            guard let type = scalarType(ofDTypeName: dtype) else {
                throw CheckpointError.unsupportedStorage(path: path, type: dtype)
            }
            let begin = offsets[0]
            let end = offsets[1]
            guard begin >= 0, begin <= end, end <= dataLength else {
                throw malformed("data_offsets [\(begin), \(end)] outside the \(dataLength) data bytes")
            }
            var count = 1
            for extent in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: extent)
                guard extent >= 0, !overflow else { throw malformed("bad shape \(shape)") }
                count = product
            }
            guard count.multipliedReportingOverflow(by: type.byteSize) == (end - begin, false) else {
                throw malformed(
                    "shape \(shape) of \(dtype) needs \(count * type.byteSize) bytes, offsets give \(end - begin)")
            }
            var strides = [Int](repeating: 1, count: shape.count)
            for axis in shape.indices.dropLast().reversed() { strides[axis] = strides[axis + 1] * shape[axis + 1] }
            let stored = try StoredTensor(
                file: file, key: name, scalarType: type, shape: shape, strides: strides, elementOffset: 0,
                storageBytes: (dataStart + begin)..<(dataStart + end), limits: limits)
            records[name] = stored.record
        }
        return (StateDict(source: path, records: records), metadata)
    }

    /// A JSON array of integers (as `JSONSerialization` decodes it on any platform).
    private static func integers(_ value: Any?) -> [Int]? {
        guard let items = value as? [Any] else { return nil }
        var result: [Int] = []
        for item in items {
            if let number = item as? Int {
                result.append(number)
            } else if let number = item as? NSNumber, Double(number.intValue) == number.doubleValue {
                result.append(number.intValue)
            } else {
                return nil
            }
        }
        return result
    }

    /// Writes `tensors` as F32 to `url` with `metadata` in `__metadata__`, atomically (as the
    /// `StateDict` overload writes).
    package static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        try write(
            StateDict(source: url.path, records: tensors.mapValues { TensorRecord($0) }), metadata: metadata, to: url)
    }

    /// Writes every tensor of `stateDict` to `url` under its key, in its stored type (the
    /// file's bytes unchanged for records read from a file: float32 stays F32, float16 F16,
    /// int64 I64; strided torch views are made contiguous), with `metadata` in
    /// `__metadata__`.
    ///
    /// Written atomically: to a temporary file in the same folder, renamed to `url` when
    /// complete (a failed or interrupted write leaves no partial `url`). Tensors are laid out
    /// in key order, one at a time (memory use is one tensor); the header is padded with
    /// spaces to a multiple of 8 bytes so that the data is aligned.
    ///
    /// - Throws: ``CheckpointError/io(path:reason:)`` naming `url`, or the error of reading
    ///   a record (naming the source file).
    package static func write(_ stateDict: StateDict, metadata: [String: String] = [:], to url: URL) throws {
        let names = stateDict.keys
        var header: [String: Any] = [:]
        var offset = 0
        for name in names {
            guard let record = stateDict[name] else { continue }
            let bytes = record.elementCount * record.scalarType.byteSize
            header[name] =
                ["dtype": dtypeName(of: record.scalarType), "shape": record.shape, "data_offsets": [offset, offset + bytes]]
                as [String: Any]
            offset += bytes
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json: Data
        do {
            json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        } catch {
            throw CheckpointError.io(path: url.path, reason: "cannot encode safetensors header (\(error))")
        }
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        let temporary = AtomicFile.temporaryURL(for: url)
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw CheckpointError.io(path: url.path, reason: "cannot create \(temporary.path)")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            var length = UInt64(json.count).littleEndian
            try handle.write(contentsOf: Data(bytes: &length, count: 8))
            try handle.write(contentsOf: json)
            for name in names {
                guard let record = stateDict[name] else { continue }
                let bytes = try record.loadStoredBytes()
                guard bytes.count == record.elementCount * record.scalarType.byteSize else {
                    throw CheckpointError.io(
                        path: url.path, reason: "tensor '\(name)' gave \(bytes.count) bytes for shape \(record.shape)")
                }
                try handle.write(contentsOf: Data(bytes))
            }
            try handle.close()
            try AtomicFile.commit(temporary, to: url)
        } catch let error as CheckpointError {
            try? FileManager.default.removeItem(at: temporary)
            TemporaryFiles.unregister(temporary)
            throw error
        } catch let error as WeightError {
            try? FileManager.default.removeItem(at: temporary)
            TemporaryFiles.unregister(temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            TemporaryFiles.unregister(temporary)
            throw CheckpointError.io(path: url.path, reason: "cannot write file (\(SystemErrorText.reason(error)))")
        }
    }
}
