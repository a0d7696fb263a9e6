/// The process-wide settings that suit long model runs (a render of many steps, a dubbing job),
/// in one opt-in call; the library never changes them by itself.
public enum RuntimeTuning {
    /// Default size of the ``TensorBufferPool`` set by ``configureForModelRuns(poolBytes:)``:
    /// 1 GiB, more than one released-size UNet call at 256 x 256 frees per step.
    public static let defaultPoolBytes = 1 << 30

    /// ``AllocatorTuning/keepLargeBlocksInHeap()``, ``TensorBufferPool`` enabled with
    /// `poolBytes`, and ``BLAS/useKernelThreads()``. Call it once at start-up, before any kernel
    /// runs. Measured on one released-size UNet call (`diffdub-bench unet`): peak memory 1.7 GB
    /// with the pool against 2.4 GB with the heap setting alone (freed blocks of other sizes
    /// fragment the heap), and no OpenBLAS worker spinning between products.
    public static func configureForModelRuns(poolBytes: Int = defaultPoolBytes) {
        AllocatorTuning.keepLargeBlocksInHeap()
        TensorBufferPool.enable(capacityBytes: poolBytes)
        BLAS.useKernelThreads()
    }
}
