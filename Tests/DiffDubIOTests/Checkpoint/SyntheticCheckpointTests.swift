import DiffDubCore
import DiffDubIO
import Foundation
import Testing

/// Small hand-built `torch.save` zips: storage types, offsets, strides, inert globals.
@Suite struct SyntheticCheckpointTests {
    /// `{'state_dict': {names...: tensors...}, ...extras}` in a zip with the given storages.
    private func checkpoint(
        tensors: (inout PickleBuilder) -> Void, extras: (inout PickleBuilder) -> Void = { _ in },
        storages: [String: [UInt8]], archive: String = "archive"
    ) -> Data {
        var pickle = PickleBuilder()
        pickle.emptyDict()
        pickle.mark()
        pickle.string("state_dict")
        pickle.emptyDict()
        pickle.mark()
        tensors(&pickle)
        pickle.setItems()
        extras(&pickle)
        pickle.setItems()
        pickle.stop()
        var zip = ZipBuilder()
        zip.add("\(archive)/data.pkl", pickle.bytes)
        for key in storages.keys.sorted() { zip.add("\(archive)/data/\(key)", storages[key] ?? []) }
        zip.add("\(archive)/version", Array("3\n".utf8))
        return zip.build()
    }

    @Test func appliesStorageOffsetsAndStrides() throws {
        let storage = littleEndianBytes((0..<12).map(Float.init))
        let data = checkpoint(
            tensors: { p in
                p.string("transposed")
                p.tensor(storageType: "FloatStorage", key: "0", numel: 12, offset: 0, shape: [3, 2], strides: [1, 3])
                p.string("window")
                p.tensor(storageType: "FloatStorage", key: "0", numel: 12, offset: 5, shape: [2], strides: [1])
                p.string("broadcast")
                p.tensor(storageType: "FloatStorage", key: "0", numel: 12, offset: 2, shape: [2, 2], strides: [0, 1])
                p.string("scalar")
                p.tensor(storageType: "FloatStorage", key: "0", numel: 12, offset: 11, shape: [], strides: [])
                p.string("empty")
                p.tensor(storageType: "FloatStorage", key: "0", numel: 12, offset: 0, shape: [0, 4], strides: [4, 1])
            }, storages: ["0": storage])
        let weights = try TorchCheckpoint.stateDict(contentsOf: try temporaryFile("strided.pt", data))
        #expect(try weights["transposed"]?.load().scalars == [0, 3, 1, 4, 2, 5])
        #expect(try weights["transposed"]?.load().shape == [3, 2])
        #expect(try weights["window"]?.load().scalars == [5, 6])
        #expect(try weights["broadcast"]?.load().scalars == [2, 3, 2, 3])
        #expect(try weights["scalar"]?.load().scalars == [11])
        #expect(try weights["empty"]?.load().shape == [0, 4])
    }

    @Test func convertsEveryStorageType() throws {
        let values: [Float] = [1.5, -2, 0.25, 3]
        let cases: [(String, ScalarType, [UInt8])] = [
            ("HalfStorage", .float16, littleEndianBytes(values.map { Float16($0).bitPattern })),
            ("BFloat16Storage", .bfloat16, littleEndianBytes(values.map { UInt16($0.bitPattern >> 16) })),
            ("DoubleStorage", .float64, littleEndianBytes(values.map(Double.init))),
            ("FloatStorage", .float32, littleEndianBytes(values)),
            ("LongStorage", .int64, littleEndianBytes([Int64(7), -3, 0, 1 << 40])),
            ("IntStorage", .int32, littleEndianBytes([Int32(7), -3, 0, 9])),
            ("ByteStorage", .uint8, [7, 200, 0, 9]),
        ]
        for (name, type, bytes) in cases {
            let data = checkpoint(
                tensors: { p in
                    p.string("t")
                    // Reversed through a negative-free stride: take elements 3, 1 (offset 1, stride 2).
                    p.tensor(storageType: name, key: "0", numel: 4, offset: 1, shape: [2], strides: [2])
                    p.string("all")
                    p.tensor(storageType: name, key: "0", numel: 4, offset: 0, shape: [2, 2], strides: [2, 1])
                }, storages: ["0": bytes])
            let weights = try TorchCheckpoint.stateDict(contentsOf: try temporaryFile("\(name).pt", data))
            let all = try #require(weights["all"])
            #expect(all.scalarType == type)
            let expected: [Float] =
                switch type {
                case .int64: [7, -3, 0, Float(1 << 40)]
                case .int32: [7, -3, 0, 9]
                case .uint8: [7, 200, 0, 9]
                default: values
                }
            #expect(try all.load().scalars == expected, "\(name)")
            #expect(try weights["t"]?.load().scalars == [expected[1], expected[3]], "\(name)")
        }
    }

    @Test func allowedTrainingDataStaysInert() throws {
        let data = checkpoint(
            tensors: { p in
                p.string("weight")
                // A Parameter: _rebuild_parameter(tensor, requires_grad, hooks).
                p.global("torch._utils", "_rebuild_parameter")
                p.mark()
                p.tensor(storageType: "FloatStorage", key: "0", numel: 2, offset: 0, shape: [2], strides: [1])
                p.bool(true)
                p.global("collections", "OrderedDict")
                p.emptyTuple()
                p.reduce()
                p.tuple()
                p.reduce()
                p.string("nested")
                p.emptyDict()  // nested dicts are not tensors: ignored
            },
            extras: { p in
                p.string("hyper_parameters")
                p.global("pytorch_lightning.utilities.parsing", "AttributeDict")
                p.emptyTuple()
                p.reduce()
                p.mark()
                p.string("lr")
                p.op(0x47)
                p.raw(withUnsafeBytes(of: (0.001 as Double).bitPattern.bigEndian, Array.init))
                p.setItems()
                p.string("counter")
                p.global("collections", "Counter")
                p.mark()
                p.int(2)
                p.tuple()
                p.reduce()
            }, storages: ["0": littleEndianBytes([Float(4), 5])])
        let checkpoint = try TorchCheckpoint.open(try temporaryFile("extras.ckpt", data))
        #expect(checkpoint.stateDict.keys == ["weight"])
        #expect(try checkpoint.stateDict["weight"]?.load().scalars == [4, 5])
        guard case .object(let hyper)? = checkpoint.root["hyper_parameters"] else {
            Issue.record("hyper_parameters is not an inert object")
            return
        }
        #expect(hyper.entries.first?.key.stringValue == "lr")
        guard case .float(let lr)? = hyper.entries.first?.value else {
            Issue.record("lr is not a float")
            return
        }
        #expect(lr == 0.001)
        guard case .object(let counter)? = checkpoint.root["counter"], case .global("collections", "Counter") = counter.callable
        else {
            Issue.record("counter is not an inert object")
            return
        }
        #expect(counter.arguments.sequence?.first?.intValue == 2)
    }

    @Test func globalsOutsideTheAllowListAreRefusedNamingThem() throws {
        for (module, name) in [("mymodule", "Mode"), ("torch.optim.adam", "Adam"), ("os", "system"), ("posix", "system")] {
            let data = checkpoint(
                tensors: { p in
                    p.string("w")
                    p.tensor(storageType: "FloatStorage", key: "0", numel: 1, offset: 0, shape: [1], strides: [1])
                },
                extras: { p in
                    p.string("callback")
                    p.global(module, name)  // never called: refused as soon as it is read
                }, storages: ["0": littleEndianBytes([Float(9)])])
            let url = try temporaryFile("\(module).ckpt", data)
            do {
                _ = try TorchCheckpoint.open(url)
                Issue.record("\(module).\(name) was accepted")
            } catch let error as CheckpointError {
                guard case .forbiddenGlobal(let path, module, name, _) = error else {
                    Issue.record("\(error)")
                    continue
                }
                #expect(path == url.path)
            }
        }
    }

    @Test func findsTheArchiveFolderWhateverItsName() throws {
        let data = checkpoint(
            tensors: { p in
                p.string("w")
                p.tensor(storageType: "FloatStorage", key: "0", numel: 1, offset: 0, shape: [1], strides: [1])
            }, storages: ["0": littleEndianBytes([Float(9)])], archive: "some_other_name")
        let weights = try TorchCheckpoint.stateDict(contentsOf: try temporaryFile("named.pth", data))
        #expect(try weights["w"]?.load().scalars == [9])
    }

    @Test func aTensorReachingPastItsStorageIsRejectedBeforeLoading() throws {
        let data = checkpoint(
            tensors: { p in
                p.string("too_long")
                p.tensor(storageType: "FloatStorage", key: "0", numel: 4, offset: 2, shape: [2, 2], strides: [2, 1])
            }, storages: ["0": littleEndianBytes([Float](repeating: 0, count: 4))])
        let url = try temporaryFile("bounds.pt", data)
        do {
            _ = try TorchCheckpoint.stateDict(contentsOf: url)
            Issue.record("no error")
        } catch let error as CheckpointError {
            guard case .tensorOutOfBounds(let path, let key, _) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(path == url.path)
            #expect(key == "too_long")
        }
    }

    @Test func aStorageLargerThanItsRecordIsRejected() throws {
        let data = checkpoint(
            tensors: { p in
                p.string("w")
                p.tensor(storageType: "DoubleStorage", key: "0", numel: 4, offset: 0, shape: [4], strides: [1])
            }, storages: ["0": littleEndianBytes([Float](repeating: 0, count: 4))])
        #expect(throws: CheckpointError.self) {
            try TorchCheckpoint.stateDict(contentsOf: try temporaryFile("short.pt", data))
        }
    }

    @Test func aMissingStorageRecordIsATypedError() throws {
        let data = checkpoint(
            tensors: { p in
                p.string("w")
                p.tensor(storageType: "FloatStorage", key: "17", numel: 1, offset: 0, shape: [1], strides: [1])
            }, storages: ["0": littleEndianBytes([Float(1)])])
        let url = try temporaryFile("missing.pt", data)
        #expect(throws: CheckpointError.missingRecord(path: url.path, name: "data/17")) {
            try TorchCheckpoint.stateDict(contentsOf: url)
        }
    }

    @Test func compressedEntriesAreRefused() throws {
        var pickle = PickleBuilder()
        pickle.emptyDict()
        pickle.stop()
        var zip = ZipBuilder()
        zip.add("archive/data.pkl", pickle.bytes, method: 8)
        let url = try temporaryFile("deflated.pt", zip.build())
        #expect(throws: CheckpointError.compressedEntry(path: url.path, entry: "archive/data.pkl", method: 8)) {
            try TorchCheckpoint.open(url)
        }
    }

    @Test func bigEndianFilesAreRefused() throws {
        var pickle = PickleBuilder()
        pickle.emptyDict()
        pickle.stop()
        var zip = ZipBuilder()
        zip.add("archive/data.pkl", pickle.bytes)
        zip.add("archive/byteorder", Array("big".utf8))
        let url = try temporaryFile("big.pt", zip.build())
        #expect(throws: CheckpointError.bigEndian(path: url.path)) { try TorchCheckpoint.open(url) }
    }

    @Test func unsupportedStorageTypesAreNamed() throws {
        let data = checkpoint(
            tensors: { p in
                p.string("w")
                p.tensor(storageType: "ComplexFloatStorage", key: "0", numel: 1, offset: 0, shape: [1], strides: [1])
            }, storages: ["0": littleEndianBytes([Float(1), 0])])
        let url = try temporaryFile("complex.pt", data)
        #expect(throws: CheckpointError.unsupportedStorage(path: url.path, type: "torch.ComplexFloatStorage")) {
            try TorchCheckpoint.open(url)
        }
    }
}

/// Zero-copy mapping and the copying fallback of ``StoredTensor``.
@Suite struct StoredTensorTests {
    private func mappedFile() throws -> MappedFile {
        let values = littleEndianBytes((0..<32).map(Float.init))
        return try MappedFile(path: try temporaryFile("raw.bin", Data([UInt8](repeating: 0, count: 64) + values)).path)
    }

    @Test func contiguousAlignedFloat32BorrowsTheMapping() throws {
        let file = try mappedFile()
        let stored = try StoredTensor(
            file: file, key: "k", scalarType: .float32, shape: [2, 4], strides: [4, 1], elementOffset: 3,
            storageBytes: 64..<192)
        let tensor = stored.load()
        #expect(tensor.scalars == (3..<11).map(Float.init))
        let base = try #require(file.bytes.baseAddress)
        tensor.withUnsafeBufferPointer { buffer in
            #expect(buffer.baseAddress.map(UnsafeRawPointer.init) == base + 64 + 3 * 4)
        }
    }

    @Test func unalignedFloat32IsCopied() throws {
        let file = try mappedFile()
        // Storage starting 2 bytes into the first float: elements straddle two floats.
        let stored = try StoredTensor(
            file: file, key: "k", scalarType: .float32, shape: [3], strides: [1], elementOffset: 0,
            storageBytes: 66..<190)
        let tensor = stored.load()
        let base = try #require(file.bytes.baseAddress)
        let expected = (0..<3).map {
            Float(bitPattern: UInt32(littleEndian: (base + 66 + 4 * $0).loadUnaligned(as: UInt32.self)))
        }
        #expect(tensor.scalars == expected)
        tensor.withUnsafeBufferPointer { buffer in
            #expect(buffer.baseAddress.map(UnsafeRawPointer.init) != base + 66)
        }
    }

    @Test func boundsAreCheckedWithoutOverflow() throws {
        let file = try mappedFile()
        let cases: [(shape: [Int], strides: [Int], offset: Int, bytes: Range<Int>)] = [
            ([33], [1], 0, 64..<192),  // one element too many
            ([2], [Int.max / 2], 0, 64..<192),  // stride overflow
            ([Int.max / 2, 4], [1, 1], 0, 64..<192),  // size overflow
            ([1], [1], 0, 64..<400),  // storage past the end of the file
            ([2], [1], -1, 64..<192),  // negative offset
        ]
        for c in cases {
            #expect(throws: CheckpointError.self, "\(c)") {
                try StoredTensor(
                    file: file, key: "k", scalarType: .float32, shape: c.shape, strides: c.strides,
                    elementOffset: c.offset, storageBytes: c.bytes)
            }
        }
    }
}
