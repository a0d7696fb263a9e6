import COpenBLAS

/// Control of the BLAS library (OpenBLAS) that runs the matrix products.
///
/// OpenBLAS keeps its own thread pool, separate from ``Parallelism`` (which the element-wise
/// and normalisation kernels use). The two never run at the same time: a kernel either packs
/// data with ``parallelFor(_:minimumChunk:_:)`` or calls `sgemm`.
public enum BLAS {
    /// Threads OpenBLAS uses inside one `sgemm` call (`openblas_get_num_threads` /
    /// `openblas_set_num_threads`); setting clamps to at least 1. Set it at start-up, not while
    /// other threads are running kernels.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// The OpenBLAS build configuration string (version, target core, threading model).
    public static var configuration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }
}

/// Row-major single-precision GEMM: `C = alpha * op(A) * op(B) + beta * C`, where `op(A)` is
/// `M x K`, `op(B)` is `K x N`, `C` is `M x N`; `lda`, `ldb`, `ldc` are the row strides of the
/// matrices as stored (before transposition).
func sgemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        // An empty sum: C = beta * C (BLAS would reject the degenerate leading dimensions).
        for row in 0..<m {
            let line = c + row * ldc
            for column in 0..<n { line[column] = beta == 0 ? 0 : beta * line[column] }
        }
        return
    }
    cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(1, lda)), b, Int32(max(1, ldb)),
        beta, c, Int32(max(1, ldc)))
}
