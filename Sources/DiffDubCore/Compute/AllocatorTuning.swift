#if canImport(Glibc)
    /// glibc `mallopt`, which Swift's Glibc module does not export.
    @_silgen_name("mallopt") private func mallopt(_ option: Int32, _ value: Int32) -> Int32
#endif

/// The C allocator setting that suits tensor workloads, applied at most once per process by
/// ``ComputeSettings/run(_:)`` when ``ComputeSettings/keepsLargeBlocksInHeap`` is set.
enum AllocatorTuning {
    /// Makes glibc keep large blocks in its heap instead of mapping and unmapping each one.
    ///
    /// By default every block of 32 MiB or more (a `[1, 128, 256, 256]` activation is just over
    /// that) gets a fresh `mmap`, so every kernel output pays a page fault per 4 KiB page plus the
    /// kernel's zero fill, and is unmapped again when freed. With this setting such blocks are
    /// reused from the heap: `x * 0.5` on `[1, 128, 256, 256]` took 49 ms without and 3.3 ms with
    /// it (`diffdub-bench kernels` against `diffdub-bench kernels --heap`, on a loaded machine).
    /// The cost is that up to 1 GiB of freed memory stays with the process. Does nothing on
    /// platforms without glibc. Idempotent: the first call sets it, later calls do nothing.
    static func keepLargeBlocksInHeap() { _ = applied }

    /// Evaluated once (a lazily initialised global is thread-safe in Swift).
    private static let applied: Void = {
        #if canImport(Glibc)
            _ = mallopt(-3, 1 << 30)  // M_MMAP_THRESHOLD: only blocks of 1 GiB or more are mapped
            _ = mallopt(-1, 1 << 30)  // M_TRIM_THRESHOLD: keep up to 1 GiB of free heap
        #endif
    }()
}
