import Foundation

/// One of `count` equal parts of a job's frames, `K/N` on the command line (K from 0).
///
/// Frames are dealt out in blocks, round robin: the output frames are cut into blocks of the
/// job's batch size aligned on absolute frame numbers (the blocks a single `dub` run renders
/// together), and block `b` belongs to shard `b % N`. With the default batch of 1, shard `K`
/// renders frames `i` with `i % N == K`. Round robin keeps shards equally long whatever the
/// frames cost (a face that is hard in one scene lands in every shard), and rendering whole
/// batch blocks keeps every frame bit-identical to a one-process run.
public struct JobShard: Sendable, Hashable, CustomStringConvertible {
    /// K, from 0.
    public let index: Int
    /// N, at least 1.
    public let count: Int

    /// Shard `index` of `count`.
    ///
    /// - Throws: `JobError.invalidShard(text:)` unless `0 <= index < count`.
    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 0, index < count else { throw JobError.invalidShard(text: "\(index)/\(count)") }
        self.index = index
        self.count = count
    }

    /// Parses `K/N`.
    ///
    /// - Throws: ``JobError/invalidShard(text:)``.
    package init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0].trimmingCharacters(in: .whitespaces)),
            let n = Int(parts[1].trimmingCharacters(in: .whitespaces))
        else { throw JobError.invalidShard(text: text) }
        guard n >= 1, k >= 0, k < n else { throw JobError.invalidShard(text: text) }
        try self.init(index: k, count: n)
    }

    /// The whole job: `0/1`.
    public static let all = try! JobShard(index: 0, count: 1)

    /// Whether output frame `frame` (absolute number) belongs to this shard, for blocks of
    /// `blockSize` frames.
    package func owns(frame: Int, blockSize: Int) -> Bool {
        (frame / max(1, blockSize)) % count == index
    }

    /// This shard's blocks of `frames` (absolute numbers), each cut at multiples of `blockSize`.
    package func blocks(of frames: Range<Int>, blockSize: Int) -> [Range<Int>] {
        let size = max(1, blockSize)
        guard !frames.isEmpty else { return [] }
        var blocks: [Range<Int>] = []
        var block = frames.lowerBound / size
        while block * size < frames.upperBound {
            if block % count == index {
                let range = max(frames.lowerBound, block * size)..<min(frames.upperBound, (block + 1) * size)
                if !range.isEmpty { blocks.append(range) }
            }
            block += 1
        }
        return blocks
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }
}
