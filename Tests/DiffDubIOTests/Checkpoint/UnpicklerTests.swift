import DiffDubCore
import DiffDubIO
import Foundation
import Testing

@Suite struct UnpicklerTests {
    private func load(_ bytes: [UInt8]) throws -> PickleValue {
        try bytes.withUnsafeBytes { try Unpickler.load($0, path: "memory").value }
    }

    @Test func decodesScalarsOfEveryWidth() throws {
        // Protocol 4 frame; BININT -5; BININT2 515; LONG1 -1 (0xFF); LONG1 of 9 bytes; BINFLOAT 0.5;
        // SHORT_BINUNICODE 'é'; SHORT_BINBYTES; NONE; NEWTRUE; in one tuple.
        var bytes: [UInt8] = [0x80, 0x04, 0x95] + [UInt8](repeating: 0, count: 8)
        bytes += [0x28]
        bytes += [0x4A] + littleEndianBytes([Int32(-5)])
        bytes += [0x4D, 0x03, 0x02]
        bytes += [0x8A, 0x01, 0xFF]
        bytes += [0x8A, 0x09] + [UInt8](repeating: 0x11, count: 9)
        bytes += [0x47] + withUnsafeBytes(of: (0.5 as Double).bitPattern.bigEndian, Array.init)
        bytes += [0x8C, 0x02, 0xC3, 0xA9]
        bytes += [0x43, 0x02, 0x01, 0x02]
        bytes += [0x4E, 0x88, 0x74, 0x2E]
        let value = try load(bytes)
        let items = try #require(value.sequence)
        #expect(items.count == 9)
        #expect(items[0].intValue == -5)
        #expect(items[1].intValue == 515)
        #expect(items[2].intValue == -1)
        guard case .bigInt(let digits) = items[3] else {
            Issue.record("LONG1 of 9 bytes is not a big int")
            return
        }
        #expect(digits.count == 9)
        guard case .float(0.5) = items[4], case .bytes([1, 2]) = items[6], case .none = items[7],
            case .bool(true) = items[8]
        else {
            Issue.record("wrong values \(items)")
            return
        }
        #expect(items[5].stringValue == "é")
    }

    @Test func containersSharedThroughTheMemoAreOneObject() throws {
        // d = {}; memo[0] = d; l = [d]; d['k'] = 1 (after the list took it); result (l, memo[0]).
        let bytes: [UInt8] = [
            0x80, 0x02,
            0x7D, 0x71, 0x00,  // EMPTY_DICT, BINPUT 0
            0x5D, 0x68, 0x00, 0x61,  // EMPTY_LIST, BINGET 0, APPEND
            0x68, 0x00,  // BINGET 0
            0x8C, 0x01, 0x6B, 0x4B, 0x01, 0x73,  // 'k', 1, SETITEM
            0x86, 0x2E,  // TUPLE2, STOP
        ]
        let value = try load(bytes)
        let items = try #require(value.sequence)
        #expect(items[1]["k"]?.intValue == 1)
        guard case .list(let list) = items[0] else {
            Issue.record("first item is not a list")
            return
        }
        #expect(list.first?["k"]?.intValue == 1)
    }

    @Test func stackGlobalSetsAndCycles() throws {
        let bytes: [UInt8] =
            [
                0x80, 0x04,
                0x8C, 0x0B,
            ] + Array("collections".utf8) + [0x8C, 0x0B] + Array("OrderedDict".utf8) + [
                0x93,  // STACK_GLOBAL (an allowed global)
                0x8F, 0x28, 0x4B, 0x01, 0x4B, 0x02, 0x90,  // EMPTY_SET, MARK, 1, 2, ADDITEMS
                0x28, 0x4B, 0x03, 0x91,  // MARK, 3, FROZENSET
                0x5D, 0x94, 0x68, 0x00, 0x61,  // EMPTY_LIST, MEMOIZE (0), BINGET 0, APPEND: l = [l]
                0x87, 0x2E,  // TUPLE3 (of the last three), STOP
            ]
        // Stack before TUPLE3: global, set, frozenset, list -> tuple of (set, frozenset, list) and
        // the global stays below; STOP takes the tuple.
        let value = try load(bytes)
        let items = try #require(value.sequence)
        guard case .set(let set) = items[0], case .set(let frozen) = items[1], case .list(let cyclic) = items[2] else {
            Issue.record("wrong containers \(items)")
            return
        }
        #expect(set.compactMap(\.intValue) == [1, 2])
        #expect(frozen.compactMap(\.intValue) == [3])
        guard case .recursive = cyclic.first else {
            Issue.record("a self-containing list is not cut")
            return
        }
        // A global outside the allow-list is refused by STACK_GLOBAL, naming it.
        let forbidden: [UInt8] = [0x80, 0x04, 0x8C, 0x03] + Array("mod".utf8) + [0x8C, 0x04] + Array("Name".utf8) + [0x93, 0x2E]
        #expect(throws: CheckpointError.forbiddenGlobal(path: "memory", module: "mod", name: "Name", offset: 13)) {
            try load(forbidden)
        }
    }

    @Test func malformedPicklesAreTypedErrors() throws {
        let cases: [[UInt8]] = [
            [0x80, 0x02, 0x30, 0x2E],  // POP on an empty stack
            [0x80, 0x02, 0x68, 0x05, 0x2E],  // BINGET of an undefined memo entry
            [0x80, 0x02, 0x74, 0x2E],  // TUPLE without MARK
            [0x80, 0x02, 0x58, 0xFF, 0xFF, 0x00, 0x00, 0x41],  // BINUNICODE longer than the data
            [0x80, 0x02, 0x4E],  // no STOP
            [0x80, 0x02, 0x4B, 0x01, 0x61, 0x2E],  // APPEND onto an int
        ]
        for bytes in cases {
            #expect(throws: CheckpointError.self, "\(bytes)") { try load(bytes) }
        }
    }

    @Test func unknownOpcodeReportsByteAndOffset() throws {
        #expect(throws: CheckpointError.unknownOpcode(path: "memory", opcode: 0xFE, offset: 3)) {
            try load([0x80, 0x02, 0x4E, 0xFE, 0x2E])
        }
    }

    @Test func nestingBeyondTheLimitIsRefused() throws {
        let depth = ReaderLimits.standard.maximumPickleNesting + 10
        let marks =
            [0x80, 0x02] + [UInt8](repeating: 0x28, count: depth) + [UInt8](repeating: 0x74, count: depth) + [0x2E]
        #expect(
            throws: CheckpointError.limitExceeded(
                path: "memory", reason: "more than \(ReaderLimits.standard.maximumPickleNesting) nested marks")
        ) { try load(marks) }
        // Lists nested through APPEND need no marks: the depth bound applies when resolving.
        var lists: [UInt8] = [0x80, 0x02]
        for _ in 0..<depth { lists += [0x5D] }
        for _ in 0..<(depth - 1) { lists += [0x61] }
        lists += [0x2E]
        #expect(throws: CheckpointError.self) { try load(lists) }
    }

    @Test func unknownPersistentIDsStayInert() throws {
        // BINPERSID of ('other', 1) -> persistentID
        let bytes: [UInt8] = [0x80, 0x02, 0x8C, 0x05] + Array("other".utf8) + [0x4B, 0x01, 0x86, 0x51, 0x2E]
        guard case .persistentID(let id) = try load(bytes) else {
            Issue.record("not a persistent id")
            return
        }
        #expect(id.sequence?.first?.stringValue == "other")
    }
}
