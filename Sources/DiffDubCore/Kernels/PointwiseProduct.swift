/// The product of a pointwise (1x1) convolution: `C[o, j] = bias[o] + sum_c W[o, c] X[c, j]`
/// for `o < m`, `j < n`, `c < k`, with `W` the row-major `m x k` matrix at `weights` (row stride
/// `lda`), `X` at `input` (row stride `ldb`) and `C` at `output` (row stride `ldc`).
///
/// Runs where ``productGEMM(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:kernels:)`` would:
/// bf16 products as before (`C` filled with the bias first); fp32 on the packed kernel with the
/// bias as each sum's start (no fill pass) when ``KernelSettings/usesPackedProducts`` and
/// ``PackedGEMM/suits(m:n:k:)``, with `W`'s panels
/// packed once and kept with `weightTensor` when it is given (the whole `[O, C, 1(, 1)]` weight,
/// `weights` its first element; read in place otherwise); ``sgemm`` after a bias fill otherwise.
/// Kept panels measured 4-5 % less CPU over the UNet's 1x1 shapes than reading `W` in place.
func pointwiseProduct(
    weights: UnsafePointer<Float>, weightTensor: Tensor?, m: Int, k: Int, lda: Int, bias: UnsafePointer<Float>?,
    input: UnsafePointer<Float>, n: Int, ldb: Int, output: UnsafeMutablePointer<Float>, ldc: Int,
    kernels: KernelSettings
) {
    if !productUsesBF16(m: m, n: n, k: k, kernels: kernels) && PackedGEMM.isUsed(by: kernels)
        && PackedGEMM.suits(m: m, n: n, k: k)
    {
        let panels = weightTensor.map { PackedRowPanels.of($0) }
        withExtendedLifetime(panels) {
            packedGEMM(
                rows: panels?.operand ?? .rowMajor(weights, rows: m, depth: k, lda: lda), rowBias: bias,
                transposeB: false, n: n, b: input, ldb: ldb, accumulate: false, c: output, ldc: ldc)
        }
        return
    }
    if let bias {
        parallelFor(m, minimumChunk: max(1, elementwiseChunk / max(1, n))) { rows in
            for o in rows { (output + o * ldc).update(repeating: bias[o], count: n) }
        }
    }
    productGEMM(
        transposeA: false, transposeB: false, m: m, n: n, k: k, a: weights, lda: lda, b: input, ldb: ldb,
        beta: bias == nil ? 0 : 1, c: output, ldc: ldc, kernels: kernels)
}
