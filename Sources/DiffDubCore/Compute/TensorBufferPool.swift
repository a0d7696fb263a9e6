import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Freed tensor memory kept for reuse by one run (see ``ComputeSettings/bufferPoolBytes``), so
/// a model that runs the same layers at every sampling step reuses its activation buffers
/// instead of allocating (and page-faulting) new ones.
///
/// Owned ``TensorStorage`` blocks of at least ``minimumBytes`` allocated while a pool is in
/// force return to that pool when their tensor dies (when it is full, the blocks of other sizes
/// are freed to make room), and a new storage of exactly the same byte size takes one back. A
/// diffusion step allocates the same sizes in the same order as the step before, so after the
/// first step nearly every activation is a reused block. Thread-safe; the held blocks are freed
/// when the last tensor allocated from the pool and the run are gone.
final class TensorBufferPool: @unchecked Sendable {
    /// Blocks smaller than this are left to `malloc` (64 KiB).
    static let minimumBytes = 1 << 16

    private let lock = NSLock()
    private let capacity: Int
    private var held = 0
    private var blocks: [Int: [UnsafeMutableRawPointer]] = [:]
    private var reused = 0

    /// A pool keeping up to `capacityBytes` of freed blocks.
    init(capacityBytes: Int) {
        capacity = max(0, capacityBytes)
    }

    deinit {
        for list in blocks.values { list.forEach { HugePageMemory.deallocate($0) } }
    }

    /// Bytes currently held, and how many allocations were served from the pool so far.
    var statistics: (heldBytes: Int, reusedBlocks: Int) {
        lock.withLock { (held, reused) }
    }

    /// A held block of exactly `bytes`, if any.
    func take(bytes: Int) -> UnsafeMutableRawPointer? {
        guard bytes >= Self.minimumBytes else { return nil }
        return lock.withLock {
            guard let block = blocks[bytes]?.popLast() else { return nil }
            held -= bytes
            reused += 1
            return block
        }
    }

    /// Keeps `block` (`bytes` long, from ``HugePageMemory/allocate(byteCount:)``), making room by freeing held blocks
    /// of other sizes (the sizes of an earlier stage of the program that no longer come back);
    /// false when the caller must free it.
    func give(_ block: UnsafeMutableRawPointer, bytes: Int) -> Bool {
        guard bytes >= Self.minimumBytes else { return false }
        return lock.withLock {
            guard bytes <= capacity else { return false }
            while held + bytes > capacity, let size = blocks.keys.first(where: { $0 != bytes }) {
                for other in blocks[size] ?? [] {
                    HugePageMemory.deallocate(other)
                    held -= size
                }
                blocks[size] = nil
            }
            guard held + bytes <= capacity else { return false }
            blocks[bytes, default: []].append(block)
            held += bytes
            return true
        }
    }
}
