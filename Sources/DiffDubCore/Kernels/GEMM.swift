/// Matrix product through BLAS `sgemm`.
///
/// `a` is `[..., M, K]` (`[..., K, M]` when `transposeA`), `b` is `[..., K, N]`
/// (`[..., N, K]` when `transposeB`). Either operand may be rank 2 and is then shared by every
/// batch; otherwise the leading (batch) axes of `a` and `b` must agree. The result is
/// `[..., M, N]` with `result[i, m, n] = sum_k op(a)[i, m, k] * op(b)[i, k, n]`.
///
/// When `b` is shared and `a` is not transposed, the batch axes fold into `M` and the whole
/// product is a single `sgemm` call; otherwise there is one call per batch element. With
/// `kernels.precision` ``Precision/bf16`` (``KernelSettings``), large products take bfloat16
/// inputs with float32 sums (``productGEMM(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:kernels:)``).
package func matmul(
    _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false, kernels: KernelSettings = .standard
) -> Tensor {
    precondition(
        a.rank >= 2 && b.rank >= 2, "matmul: operands must have rank >= 2, got \(a.shape) and \(b.shape)")
    let m = transposeA ? a.shape[a.rank - 1] : a.shape[a.rank - 2]
    let k = transposeA ? a.shape[a.rank - 2] : a.shape[a.rank - 1]
    let kb = transposeB ? b.shape[b.rank - 1] : b.shape[b.rank - 2]
    let n = transposeB ? b.shape[b.rank - 2] : b.shape[b.rank - 1]
    precondition(
        k == kb,
        "matmul: inner extents differ: \(a.shape)\(transposeA ? "^T" : "") x \(b.shape)\(transposeB ? "^T" : "")")
    let batchA = Array(a.shape.dropLast(2))
    let batchB = Array(b.shape.dropLast(2))
    precondition(
        batchA.isEmpty || batchB.isEmpty || batchA == batchB,
        "matmul: batch axes differ: \(a.shape) x \(b.shape)")
    let batchShape = batchA.isEmpty ? batchB : batchA
    let batch = product(batchShape)
    let (result, c) = makeOutput(batchShape + [m, n])
    let pa = a.readPointer
    let pb = b.readPointer
    let lda = transposeA ? m : k
    let ldb = transposeB ? k : n
    if batchB.isEmpty && !transposeA {
        productGEMM(
            transposeA: false, transposeB: transposeB, m: batch * m, n: n, k: k,
            a: pa, lda: lda, b: pb, ldb: ldb, c: c, ldc: n, kernels: kernels)
        return result
    }
    let strideA = batchA.isEmpty ? 0 : m * k
    let strideB = batchB.isEmpty ? 0 : k * n
    for i in 0..<batch {
        productGEMM(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            a: pa + i * strideA, lda: lda, b: pb + i * strideB, ldb: ldb, c: c + i * m * n, ldc: n, kernels: kernels)
    }
    return result
}

/// Affine map over the last axis: `y = x W^T + b`, with `x` `[..., in]`, `weight` `[out, in]`
/// (PyTorch `Linear` layout), `bias` `[out]` -> `[..., out]`. One `sgemm` over all rows.
package func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    precondition(weight.rank == 2, "linear: weight must be [out, in], got \(weight.shape)")
    let outFeatures = weight.shape[0]
    let inFeatures = weight.shape[1]
    precondition(
        x.rank >= 1 && x.shape[x.rank - 1] == inFeatures,
        "linear: input \(x.shape) does not end in \(inFeatures) (weight \(weight.shape))")
    if let bias {
        precondition(bias.count == outFeatures, "linear: bias \(bias.shape) for weight \(weight.shape)")
    }
    let rows = x.count / max(1, inFeatures)
    let (result, y) = makeOutput(Array(x.shape.dropLast()) + [outFeatures])
    if let bias {
        let b = bias.readPointer
        for row in 0..<rows { (y + row * outFeatures).update(from: b, count: outFeatures) }
    }
    sgemm(
        transposeA: false, transposeB: true, m: rows, n: outFeatures, k: inFeatures,
        a: x.readPointer, lda: inFeatures, b: weight.readPointer, ldb: inFeatures,
        beta: bias == nil ? 0 : 1, c: y, ldc: outFeatures)
    return result
}
