#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Large buffers backed by 2 MiB transparent huge pages where the system offers them: tensor
/// storage (``TensorStorage``, ``TensorBufferPool``) and the kernels' large scratch buffers.
///
/// A block of at least ``threshold`` bytes is aligned to 2 MiB and, on Linux, marked with
/// `madvise(MADV_HUGEPAGE)` before anything touches it, so that with transparent huge pages in
/// `madvise` mode (`/sys/kernel/mm/transparent_hugepage/enabled`, the common default) its pages
/// fault in 2 MiB at a time: one page fault and one TLB entry where there would be 512. Smaller
/// blocks are aligned to 64 bytes (a cache line, and any vector load) as before. Setting THP to
/// `always` system-wide took a released-size UNet call from 2.16 to 2.05 s. With this, on a
/// 2-core Zen 3 shared with other jobs (`diffdub-bench unet --runs 3 --tuned`, CPU s per call,
/// runs alternated): 3.92 / 3.94 before, 3.53 / 3.78 after; about 1 GB of the run's memory sits
/// in huge pages, and the peak of a 20-step render rose by about 25 MB (2.06 to 2.08-2.09 GB).
/// Elsewhere (macOS, or a kernel without THP) the advice is a no-op and only the alignment remains.
///
/// Every block, small or large, comes from `posix_memalign`, so it is released with
/// ``deallocate(_:)`` (which is `free`), whichever path made it.
enum HugePageMemory {
    /// Blocks from this size (4 MiB) get huge pages; smaller ones would waste most of a 2 MiB
    /// page's alignment slack on a short buffer.
    static let threshold = 4 << 20

    /// The huge page size on x86-64 and arm64 Linux (2 MiB), the alignment of large blocks.
    static let hugePageBytes = 2 << 20

    /// Alignment of blocks below ``threshold``.
    static let smallAlignment = 64

    /// `byteCount` bytes (at least 1), uninitialised; 2 MiB-aligned and advised for huge pages
    /// from ``threshold``, 64-byte aligned below. Stops the program when memory is exhausted.
    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let bytes = max(1, byteCount)
        let large = bytes >= threshold
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, large ? hugePageBytes : smallAlignment, bytes) == 0, let raw else {
            fatalError("HugePageMemory: could not allocate \(bytes) bytes")
        }
        if large { adviseHugePages(raw, bytes: bytes) }
        return raw
    }

    /// `count` uninitialised `Float` values (at least one), as ``allocate(byteCount:)``.
    static func allocateFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
        let capacity = max(1, count)
        return allocate(byteCount: capacity * MemoryLayout<Float>.stride).bindMemory(to: Float.self, capacity: capacity)
    }

    /// Releases a block from ``allocate(byteCount:)`` or ``allocateFloats(_:)`` (`nil`: nothing).
    static func deallocate(_ block: UnsafeMutableRawPointer?) {
        free(block)
    }

    /// Asks the kernel to back the whole 2 MiB pages of `block` with huge pages (a hint: errors,
    /// such as a kernel without transparent huge pages, are ignored).
    private static func adviseHugePages(_ block: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
            let length = bytes / hugePageBytes * hugePageBytes
            guard length > 0 else { return }
            _ = madvise(block, length, MADV_HUGEPAGE)
        #endif
    }
}
