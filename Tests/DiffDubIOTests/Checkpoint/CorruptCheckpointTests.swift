import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// Fixture checkpoints with bytes cut off or changed: every case is a typed error.
@Suite struct CorruptCheckpointTests {
    private func fixtureBytes(_ name: String) throws -> Data {
        try Data(contentsOf: Fixtures.url(name))
    }

    @Test(arguments: [0.5, 0.99, 0.999_99])
    func truncatedZipIsATypedError(_ fraction: Double) throws {
        let bytes = try fixtureBytes("stage2/stage2.ckpt")
        let url = try temporaryFile("cut.ckpt", bytes.prefix(Int(Double(bytes.count) * fraction)))
        #expect(
            throws: CheckpointError.truncated(
                path: url.path, what: "zip archive without its end-of-central-directory record")
        ) {
            try TorchCheckpoint.open(url)
        }
    }

    @Test func zipWithItsDataCutOutIsATypedError() throws {
        // Keep the directory but drop the middle of the file: offsets then point past the end.
        let bytes = try fixtureBytes("stage2/stage2.ckpt")
        let tail = bytes.suffix(40_000)
        let url = try temporaryFile("hollow.ckpt", bytes.prefix(1000) + tail)
        #expect(throws: CheckpointError.self) { try TorchCheckpoint.open(url) }
    }

    @Test func truncatedLegacyFileIsATypedError() throws {
        let bytes = try fixtureBytes("stage2/stage2_legacy.ckpt")
        for length in [20, 5000, bytes.count - 100] {
            let url = try temporaryFile("cut_legacy.ckpt", bytes.prefix(length))
            do {
                _ = try TorchCheckpoint.open(url)
                Issue.record("no error for \(length) bytes")
            } catch let error as CheckpointError {
                guard case .truncated(let path, _) = error else {
                    Issue.record("wrong error \(error)")
                    continue
                }
                #expect(path == url.path)
            }
        }
    }

    @Test func unknownOpcodeNamesTheByteAndItsOffset() throws {
        var bytes = try fixtureBytes("stage2/stage2.ckpt")
        // data.pkl starts with PROTO 2, EMPTY_DICT, BINPUT 0, MARK, then BINUNICODE 'state_dict'.
        let start = try #require(bytes.range(of: Data([0x80, 0x02, 0x7D, 0x71, 0x00, 0x28, 0x58])))
        let offset = start.lowerBound + 6
        bytes[offset] = 0xFF
        let url = try temporaryFile("opcode.ckpt", bytes)
        #expect(throws: CheckpointError.unknownOpcode(path: url.path, opcode: 0xFF, offset: offset)) {
            try TorchCheckpoint.open(url)
        }
        #expect(
            CheckpointError.unknownOpcode(path: url.path, opcode: 0xFF, offset: offset).description
                == "\(url.path): unknown pickle opcode 0xFF at offset \(offset)")
    }

    @Test func missingStorageRecordInTheFixtureIsATypedError() throws {
        var bytes = try fixtureBytes("stage2/stage2.ckpt")
        // Rename the record "stage2/data/0" (local header and central directory) to "stage2/data/X".
        let name = Data("stage2/data/0".utf8)
        var searchStart = bytes.startIndex
        while let range = bytes.range(of: name, in: searchStart..<bytes.endIndex) {
            // Only whole names: the next byte must not extend "data/0" into "data/01".
            let next = bytes[range.upperBound]
            if !(0x30...0x39).contains(next) { bytes[range.upperBound - 1] = UInt8(ascii: "X") }
            searchStart = range.upperBound
        }
        let url = try temporaryFile("renamed.ckpt", bytes)
        #expect(throws: CheckpointError.missingRecord(path: url.path, name: "data/0")) {
            try TorchCheckpoint.open(url)
        }
    }

    @Test func otherFilesAreNotMistakenForCheckpoints() throws {
        let url = try temporaryFile("text.ckpt", Data("hello world, not a checkpoint".utf8))
        #expect(throws: CheckpointError.self) { try TorchCheckpoint.open(url) }
        #expect(throws: CheckpointError.self) { try WeightFile.format(of: url) }
        let empty = try temporaryFile("empty.ckpt", Data())
        #expect(throws: CheckpointError.self) { try TorchCheckpoint.open(empty) }
        let missing = URL(fileURLWithPath: "/nonexistent/file.ckpt")
        do {
            _ = try TorchCheckpoint.open(missing)
            Issue.record("no error")
        } catch let error as CheckpointError {
            #expect(error.description.hasPrefix("/nonexistent/file.ckpt: "))
        }
    }

    @Test func recognisesEachFormat() throws {
        #expect(try WeightFile.format(of: Fixtures.url("stage2/stage2.ckpt")) == .torchZip)
        #expect(try WeightFile.format(of: Fixtures.url("stage2/stage2_legacy.ckpt")) == .torchLegacy)
        #expect(try WeightFile.format(of: Fixtures.url("stage2/audio.npy")) == .npy)
        let (format, weights) = try WeightFile.stateDict(contentsOf: Fixtures.url("stage2/audio.npy"))
        #expect(format == .npy)
        #expect(weights.keys == ["audio"])
        #expect(weights["audio"]?.shape == [1, 25, 37, 32])
    }
}
