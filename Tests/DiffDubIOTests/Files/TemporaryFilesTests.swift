import DiffDubIO
import Foundation
import Testing
import TestSupport

/// What the CLI's SIGINT/SIGTERM handler relies on: every temporary output is registered
/// until committed, and ``TemporaryFiles/removeAll()`` deletes what is left.
@Suite(.serialized) struct TemporaryFilesTests {
    @Test func uncommittedTemporariesAreRemovedAndCommittedOnesForgotten() throws {
        let folder = try TemporaryDirectory()
        let kept = folder.url.appendingPathComponent("kept.npy")
        let abandoned = folder.url.appendingPathComponent("abandoned.npy")
        // A committed write leaves nothing registered for it.
        try AtomicFile.write(Data([1, 2, 3]), to: kept)
        #expect(!TemporaryFiles.registered.contains { $0.hasPrefix(folder.url.path) })
        // An interrupted one: the temporary exists and is registered until removeAll.
        let temporary = AtomicFile.temporaryURL(for: abandoned)
        try Data([4, 5]).write(to: temporary)
        #expect(TemporaryFiles.registered.contains(temporary.path))
        // Only this test's folder: other tests in this process have temporaries in flight.
        let removed = TemporaryFiles.removeAll(inside: folder.url)
        #expect(removed.contains(temporary.path))
        #expect(!FileManager.default.fileExists(atPath: temporary.path))
        #expect(FileManager.default.fileExists(atPath: kept.path))
        #expect(!TemporaryFiles.registered.contains { $0.hasPrefix(folder.url.path) })
    }
}
