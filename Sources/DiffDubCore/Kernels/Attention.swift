/// Scaled dot-product attention: `y = softmax(scale * q k^T) v` per batch element, softmax
/// over the keys. `query` `[B, Tq, d]`, `key` `[B, Tk, d]`, `value` `[B, Tk, dv]` ->
/// `[B, Tq, dv]`. Heads are folded into `B` by the caller.
///
/// Two `sgemm` calls per batch element (scores `[Tq, Tk]`, then scores x values) around the
/// stable row softmax; the score buffer holds one batch element at a time. With
/// `kernels.precision` ``Precision/bf16`` the large products take bfloat16 inputs with float32
/// sums (``productGEMM(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:kernels:)``).
package func scaledDotProductAttention(
    query: Tensor, key: Tensor, value: Tensor, scale: Float, kernels: KernelSettings = .standard
) -> Tensor {
    precondition(
        query.rank == 3 && key.rank == 3 && value.rank == 3,
        "scaledDotProductAttention: query \(query.shape), key \(key.shape), value \(value.shape) must be [B, T, d]")
    let (batch, queries, depth) = (query.shape[0], query.shape[1], query.shape[2])
    let (keys, valueDepth) = (key.shape[1], value.shape[2])
    precondition(
        key.shape[0] == batch && value.shape[0] == batch && key.shape[2] == depth && value.shape[1] == keys,
        "scaledDotProductAttention: query \(query.shape), key \(key.shape), value \(value.shape) do not agree")
    let (result, y) = makeOutput([batch, queries, valueDepth])
    let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(1, queries * keys))
    defer { scores.deallocate() }
    let (pq, pk, pv) = (query.readPointer, key.readPointer, value.readPointer)
    for b in 0..<batch {
        productGEMM(
            transposeA: false, transposeB: true, m: queries, n: keys, k: depth, alpha: scale,
            a: pq + b * queries * depth, lda: depth, b: pk + b * keys * depth, ldb: depth,
            c: scores, ldc: keys, kernels: kernels)
        softmaxRows(scores, rows: queries, columns: keys)
        productGEMM(
            transposeA: false, transposeB: false, m: queries, n: valueDepth, k: keys,
            a: scores, lda: keys, b: pv + b * keys * valueDepth, ldb: valueDepth,
            c: y + b * queries * valueDepth, ldc: valueDepth, kernels: kernels)
    }
    return result
}
