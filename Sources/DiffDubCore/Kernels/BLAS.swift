import COpenBLAS

/// Control of the BLAS library (OpenBLAS) that runs the matrix products.
///
/// OpenBLAS keeps its own thread pool, separate from ``Parallelism`` (which the element-wise
/// and normalisation kernels use). The two never run at the same time: a kernel either packs
/// data with ``parallelFor(_:minimumChunk:_:)`` or calls `sgemm`.
package enum BLAS {
    /// The OpenBLAS build configuration string (version, target core, threading model).
    package static var configuration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }

    /// Makes OpenBLAS single-threaded, once per process, before the first product: the
    /// kernels split large products across ``Parallelism/threadCount`` themselves (one
    /// single-threaded `sgemm` per chunk), so each run keeps to its own thread count and no
    /// OpenBLAS worker spins between products (OpenBLAS's workers yield in a loop while they
    /// wait for work, which on a machine with as many threads as cores takes a core away from
    /// the element-wise kernels).
    static func useKernelThreads() { _ = singleThreaded }

    private static let singleThreaded: Void = { openblas_set_num_threads(1) }()
}

/// Row-major single-precision GEMM: `C = alpha * op(A) * op(B) + beta * C`, where `op(A)` is
/// `M x K`, `op(B)` is `K x N`, `C` is `M x N`; `lda`, `ldb`, `ldc` are the row strides of the
/// matrices as stored (before transposition).
///
/// OpenBLAS runs single-threaded (``BLAS/useKernelThreads()``); with several kernel threads a
/// large product is split into row blocks of `C` (column blocks when `M` is small), one single-threaded `sgemm`
/// per ``parallelFor(_:minimumChunk:_:)`` chunk. Each element of `C` is still the same sum in
/// the same order, so the result does not depend on the split; and no BLAS worker thread spins
/// between products, which on a machine with as many threads as cores takes a core away from
/// the element-wise kernels (OpenBLAS's workers yield in a loop while they wait for work).
func sgemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    guard m > 0, n > 0 else { return }
    let threads = Parallelism.threadCount
    guard threads > 1, k > 0, 2 * m * n * k >= 1 << 22 else {
        sgemmSingle(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
            b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        return
    }
    let block = 16
    if m >= 2 * block * threads || m >= n {
        let blocks = (m + block - 1) / block
        parallelFor(blocks, minimumChunk: 1) { range in
            let first = range.lowerBound * block
            let rows = min(m, range.upperBound * block) - first
            sgemmSingle(
                transposeA: transposeA, transposeB: transposeB, m: rows, n: n, k: k, alpha: alpha,
                a: transposeA ? a + first : a + first * lda, lda: lda, b: b, ldb: ldb, beta: beta,
                c: c + first * ldc, ldc: ldc)
        }
    } else {
        let blocks = (n + block - 1) / block
        parallelFor(blocks, minimumChunk: 1) { range in
            let first = range.lowerBound * block
            let columns = min(n, range.upperBound * block) - first
            sgemmSingle(
                transposeA: transposeA, transposeB: transposeB, m: m, n: columns, k: k, alpha: alpha,
                a: a, lda: lda, b: transposeB ? b + first * ldb : b + first, ldb: ldb, beta: beta,
                c: c + first, ldc: ldc)
        }
    }
}

/// Independent products run side by side: `product(i)` for `i` in `0..<count`, each a
/// single-threaded ``sgemm`` on one ``parallelFor(_:minimumChunk:_:)`` chunk with several
/// kernel threads, one after the other otherwise. `product` receives a
/// function that multiplies without splitting.
func sgemmBatch(_ count: Int, _ product: (_ i: Int, _ multiply: GEMMCall) -> Void) {
    if Parallelism.threadCount > 1 {
        parallelFor(count, minimumChunk: 1) { range in
            for i in range { product(i, sgemmSingle) }
        }
    } else {
        for i in 0..<count { product(i, sgemm) }
    }
}

/// The signature of ``sgemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``.
typealias GEMMCall = (
    _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
    _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
) -> Void

/// One single-threaded `cblas_sgemm` call, with the degenerate cases handled (for kernels that
/// split their work over the threads themselves).
func sgemmSingle(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    guard m > 0, n > 0 else { return }
    BLAS.useKernelThreads()
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
