import DiffDubIO
import Foundation
import TestSupport
import Testing

@Suite("Job shards, status and fingerprints")
struct JobShardTests {
    @Test("K/N parses; out-of-range shards are refused")
    func parsing() throws {
        let shard = try JobShard(parsing: "2/3")
        #expect(shard.index == 2 && shard.count == 3)
        for bad in ["3/3", "-1/2", "1/0", "1", "a/b", "1/2/3", ""] {
            #expect(throws: JobError.invalidShard(text: bad)) { try JobShard(parsing: bad) }
        }
    }

    @Test("shards partition the frames into whole batch blocks, round robin", arguments: [1, 3])
    func partition(blockSize: Int) throws {
        let frames = 5..<23
        var seen: [Int: Int] = [:]
        for k in 0..<4 {
            let shard = try JobShard(index: k, count: 4)
            for block in shard.blocks(of: frames, blockSize: blockSize) {
                // A block never crosses a multiple of the block size.
                #expect((block.lowerBound / blockSize) == ((block.upperBound - 1) / blockSize))
                for i in block {
                    #expect(shard.owns(frame: i, blockSize: blockSize))
                    seen[i, default: 0] += 1
                }
            }
        }
        #expect(seen.keys.sorted() == Array(frames))
        #expect(seen.values.allSatisfy { $0 == 1 })
        #expect(try JobShard(index: 1, count: 4).blocks(of: frames, blockSize: 1).map(\.lowerBound) == [5, 9, 13, 17, 21])
    }

    @Test("status: done/total and missing ranges")
    func status() {
        let status = JobStatus(frames: 10..<20, rendered: [10, 11, 14, 19])
        #expect(status.done == 4 && status.total == 10 && !status.isComplete)
        #expect(status.missing == [12..<14, 15..<19])
        #expect(status.description == "4/10 frames\nmissing 12-13\nmissing 15-18")
        #expect(JobStatus(frames: 0..<3, rendered: [0, 1, 2]).description == "3/3 frames")
        #expect(JobStatus(frames: 0..<3, rendered: [0, 2]).description == "2/3 frames\nmissing 1")
    }

    @Test("a changed, added or removed file of a folder input is named")
    func folderFingerprint() throws {
        let directory = try TemporaryDirectory()
        let folder = directory.url.appendingPathComponent("frames")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for i in 1...3 { try Data("frame \(i)".utf8).write(to: folder.appendingPathComponent("f\(i).png")) }
        let input = try JobInput(role: "frames", url: folder)
        try input.verify()
        try Data("frame 9".utf8).write(to: folder.appendingPathComponent("f2.png"))  // same size
        #expect {
            try input.verify()
        } throws: { error in
            guard case JobError.changedFile(_, let path, _) = error else { return false }
            return path.hasSuffix("frames/f2.png")
        }
        try Data("frame 2".utf8).write(to: folder.appendingPathComponent("f2.png"))
        try input.verify()
        try Data("x".utf8).write(to: folder.appendingPathComponent("f10.png"))
        #expect(throws: JobError.self) { try input.verify() }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("f10.png"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("f3.png"))
        #expect {
            try input.verify()
        } throws: { error in
            guard case JobError.changedFile(_, let path, let reason) = error else { return false }
            return path.hasSuffix("frames/f3.png") && reason == "missing"
        }
    }
}
