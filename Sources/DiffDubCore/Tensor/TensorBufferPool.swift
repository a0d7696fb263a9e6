import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A process-wide pool of freed tensor memory, so a model that runs the same layers at every
/// sampling step reuses its activation buffers instead of allocating (and page-faulting) new ones.
///
/// Opt-in (``enable(capacityBytes:)``; off by default). While enabled, owned ``TensorStorage``
/// blocks of at least ``minimumBytes`` go to the pool when their tensor dies (when it is full,
/// the blocks of other sizes are freed to make room), and a new storage of exactly the same
/// byte size takes one back. A diffusion step allocates the same sizes in the same order as the step before, so
/// after the first step nearly every activation is a reused block. Thread-safe.
public enum TensorBufferPool {
    /// Blocks smaller than this are left to `malloc` (64 KiB).
    public static let minimumBytes = 1 << 16

    private static let lock = NSLock()
    nonisolated(unsafe) private static var capacity = 0
    nonisolated(unsafe) private static var held = 0
    nonisolated(unsafe) private static var blocks: [Int: [UnsafeMutableRawPointer]] = [:]
    nonisolated(unsafe) private static var reused = 0

    /// Starts keeping freed blocks, up to `capacityBytes` in total.
    public static func enable(capacityBytes: Int) {
        lock.withLock { capacity = max(0, capacityBytes) }
    }

    /// Stops keeping blocks and frees the ones held.
    public static func disable() {
        lock.withLock {
            capacity = 0
            for list in blocks.values { list.forEach { free($0) } }
            blocks = [:]
            held = 0
        }
    }

    /// Bytes currently held, and how many allocations were served from the pool so far.
    public static var statistics: (heldBytes: Int, reusedBlocks: Int) {
        lock.withLock { (held, reused) }
    }

    /// A held block of exactly `bytes`, if any.
    static func take(bytes: Int) -> UnsafeMutableRawPointer? {
        guard bytes >= minimumBytes else { return nil }
        return lock.withLock {
            guard capacity > 0, let block = blocks[bytes]?.popLast() else { return nil }
            held -= bytes
            reused += 1
            return block
        }
    }

    /// Keeps `block` (`bytes` long, from `posix_memalign`), making room by freeing held blocks
    /// of other sizes (the sizes of an earlier stage of the program that no longer come back);
    /// false when the caller must free it.
    static func give(_ block: UnsafeMutableRawPointer, bytes: Int) -> Bool {
        guard bytes >= minimumBytes else { return false }
        return lock.withLock {
            guard bytes <= capacity else { return false }
            while held + bytes > capacity, let size = blocks.keys.first(where: { $0 != bytes }) {
                for other in blocks[size] ?? [] {
                    free(other)
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
