import DiffDubCore
import DiffDubIO
import Foundation
import Testing

/// Every hostile input gets a clean, typed error naming its file: no crash, hang or
/// unbounded allocation.
@Suite struct HostileInputTests {
    private func unpickle(_ bytes: [UInt8]) throws -> PickleValue {
        try bytes.withUnsafeBytes { try Unpickler.load($0, path: "hostile.pkl").value }
    }

    private func isLimit(_ error: Error) -> Bool {
        if case CheckpointError.limitExceeded(let path, _) = error { return path == "hostile.pkl" }
        return false
    }

    @Test func deeplyNestedTuplesAreRefused() {
        #expect(performing: { try unpickle(HostileInputs.nestedTuples(200_000)) }, throws: isLimit)
    }

    @Test func longChainsOfListsAreFreedWithoutRecursion() {
        // Found by hand after the fuzz runs: a 2 MB pickle of a million nested lists crashed
        // the process (stack overflow) when the decoder freed it.
        #expect(performing: { try unpickle(HostileInputs.chainedLists(1_000_000)) }, throws: isLimit)
        #expect(performing: { try unpickle(HostileInputs.chainedLists(1_000_000, thenFail: true)) }, throws: { error in
            if case CheckpointError.malformedPickle = error { return true }
            return false
        })
    }

    @Test func exponentiallySharedTuplesResolveOnce() throws {
        // t = (t, t) 60 times: 2^60 leaves if expanded, 61 tuples when shared.
        let value = try unpickle(HostileInputs.doublingTuples(60))
        #expect(value.sequence?.count == 2)
    }

    @Test func sharedListsResolveOnce() throws {
        // 200 levels of lists holding the previous one twice: linear work thanks to sharing.
        let value = try unpickle(HostileInputs.doublingLists(200))
        #expect(value.sequence?.count == 2)
    }

    @Test func deeplyNestedRebuildCallsAreRefused() {
        #expect(performing: { try unpickle(HostileInputs.nestedRebuildCalls(5_000)) }, throws: isLimit)
    }

    @Test func shallowRebuildCallsAreDecodedNormally() {
        // The same structure 10 levels deep is judged on its content (its innermost call has
        // no arguments), not refused by a limit.
        #expect(performing: { try unpickle(HostileInputs.nestedRebuildCalls(10)) }, throws: { error in
            if case CheckpointError.malformedPickle = error { return true }
            return false
        })
    }

    @Test func zipEntryCountIsCheckedAgainstTheDirectory() {
        let bytes = HostileInputs.zipClaimingEntries(0xFFFE)
        #expect(performing: {
            try bytes.withUnsafeBytes { try TorchCheckpoint.open(data: $0, path: "hostile.ckpt") }
        }, throws: { error in
            guard case CheckpointError.malformedZip(let path, let reason) = error else { return false }
            return path == "hostile.ckpt" && reason.contains("cannot fit")
        })
    }

    @Test func numPyShapesBeyondTheDataAreRefused() {
        for shape in ["(1000000000, 1000000000)", "(99999999999999999999,)", "(-1,)", "(4611686018427387904, 4)"] {
            #expect(throws: NumPyError.self) {
                try NumPyFile.decode(Data(HostileInputs.numPy(shape: shape)), path: "hostile.npy")
            }
        }
    }

    @Test func numPyHeaderLengthsAreBounded() {
        #expect(throws: NumPyError.self) {
            try NumPyFile.decode(Data(HostileInputs.numPyHeaderLength(0xFFFF_FFFF)), path: "hostile.npy")
        }
    }

    @Test func giantImagesAreRefusedBeforeAllocation() {
        let bytes = Data(HostileInputs.pngHeader(width: 1_000_000, height: 1_000_000))
        #expect(performing: { try PNGFile.decode(bytes, path: "hostile.png") }, throws: { error in
            guard case ImageError.tooLarge(let path, 1_000_000, 1_000_000, _) = error else {
                // libpng itself may refuse the size first (its own user limits).
                if case ImageError.unreadable(let path, _) = error { return path == "hostile.png" }
                return false
            }
            return path == "hostile.png"
        })
    }

    @Test func audioHeadersClaimingHugeLengthsCostOnlyWhatIsPresent() throws {
        let clip = try AudioFile.decode(Data(HostileInputs.wavClaiming(0xFFFF_FFF0)), path: "hostile.wav")
        #expect(clip.samples.count == 2)
    }

    @Test func safeTensorsShapesMustMatchTheirBytes() {
        for shape in ["[1000000000,1000000000,1000000000]", "[-1]", "[2]"] {
            let file = HostileInputs.safeTensors(shape: shape).withUnsafeBytes {
                MappedFile(copying: $0, path: "hostile.safetensors")
            }
            #expect(throws: CheckpointError.self) { try SafeTensorsFile.open(file) }
        }
    }

    @Test func landmarkErrorsStayShortAndNameTheFile() throws {
        let line = String(repeating: "x", count: 100_000)
        do {
            _ = try LandmarksFile.parsePoints("1 2 3\n" + line, path: "hostile.txt")
            Issue.record("malformed landmarks were accepted")
        } catch {
            let message = "\(error)"
            #expect(message.hasPrefix("hostile.txt"))
            #expect(!message.contains("\n"))
        }
    }
}
