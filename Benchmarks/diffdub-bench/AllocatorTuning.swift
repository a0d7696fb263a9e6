/// glibc `mallopt`, not exported by Swift's Glibc module.
@_silgen_name("mallopt") private func mallopt(_ option: Int32, _ value: Int32) -> Int32

/// Makes glibc keep large blocks in the heap instead of mapping and unmapping each one.
///
/// By default every block over 32 MiB (a `[1, 128, 256, 256]` activation is exactly that) is a
/// fresh `mmap`, so each kernel output pays a page fault per 4 KiB page and the kernel's zero
/// fill; `x * 0.5` on such a tensor measured 49 ms that way against 3.3 ms with this setting
/// (`diffdub-bench kernels` against `diffdub-bench kernels --heap`, loaded machine).
enum AllocatorTuning {
    static func keepLargeBlocksInHeap() {
        _ = mallopt(-3, 1 << 30)  // M_MMAP_THRESHOLD: only blocks >= 1 GiB get their own mapping
        _ = mallopt(-1, 1 << 30)  // M_TRIM_THRESHOLD: keep up to 1 GiB of free heap
    }
}
