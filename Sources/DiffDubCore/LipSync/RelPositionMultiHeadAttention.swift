/// espnet's `RelPositionMultiHeadedAttention` (Transformer-XL style self-attention with
/// relative positions, `zero_triu = False`; port of
/// `espnet/nets/pytorch_backend/transformer/attention.py`).
///
/// Keys: `linear_q`, `linear_k`, `linear_v`, `linear_out` (`[d, d]` with bias), `linear_pos`
/// (`[d, d]`, no bias), `pos_bias_u`, `pos_bias_v` (`[heads, d_k]`, `d_k = d / heads`).
///
/// For `x` `[B, T, d]` and the positional table `pos` `[1, 2T - 1, d]`
/// (``RelativePositionalEncoding``), per head `h`:
/// ```
/// q, k, v = linear_q(x), linear_k(x), linear_v(x)        split into heads
/// p       = linear_pos(pos)                               split into heads
/// ac      = (q + pos_bias_u[h]) k^T                       [T, T]
/// bd      = relativeShift((q + pos_bias_v[h]) p^T)        [T, 2T-1] -> [T, T]
/// out_h   = softmax((ac + bd) / sqrt(d_k)) v
/// ```
/// heads concatenated head-major, then `linear_out`.
package struct RelPositionMultiHeadAttention: Sendable {
    /// `linear_q`.
    package let linearQ: Linear
    /// `linear_k`.
    package let linearK: Linear
    /// `linear_v`.
    package let linearV: Linear
    /// `linear_out`.
    package let linearOut: Linear
    /// `linear_pos` (no bias).
    package let linearPos: Linear
    /// `pos_bias_u` `[heads, d_k]`: added to the queries for the content term.
    package let posBiasU: Tensor
    /// `pos_bias_v` `[heads, d_k]`: added to the queries for the position term.
    package let posBiasV: Tensor
    /// Number of heads.
    package let heads: Int

    /// Binds the projections and biases under `weights` for width `width` and `heads` heads.
    package init(_ weights: WeightBinder, width: Int, heads: Int) throws {
        linearQ = try Linear(weights.scoped("linear_q"), in: width, out: width)
        linearK = try Linear(weights.scoped("linear_k"), in: width, out: width)
        linearV = try Linear(weights.scoped("linear_v"), in: width, out: width)
        linearOut = try Linear(weights.scoped("linear_out"), in: width, out: width)
        linearPos = try Linear(weights.scoped("linear_pos"), in: width, out: width, bias: false)
        posBiasU = try weights.tensor("pos_bias_u", shape: [heads, width / heads], .fanIn(width / heads))
        posBiasV = try weights.tensor("pos_bias_v", shape: [heads, width / heads], .fanIn(width / heads))
        self.heads = heads
    }

    /// Attends `x` `[B, T, d]` to itself with relative positions `positions` `[1, 2T - 1, d]`.
    package func callAsFunction(_ x: Tensor, positions: Tensor) -> Tensor {
        let (batch, length, width) = (x.shape[0], x.shape[1], x.shape[2])
        let headWidth = width / heads
        /// `[B, L, d]` -> `[B, heads, L, d_k]`.
        func splitHeads(_ y: Tensor, batch: Int, length: Int) -> Tensor {
            permuted(y.reshaped([batch, length, heads, headWidth]), [0, 2, 1, 3])
        }
        let query = linearQ(x).reshaped([batch, length, heads, headWidth])
        let queryU = permuted(query + posBiasU, [0, 2, 1, 3])
        let queryV = permuted(query + posBiasV, [0, 2, 1, 3])
        let key = splitHeads(linearK(x), batch: batch, length: length)
        let value = splitHeads(linearV(x), batch: batch, length: length)
        var position = splitHeads(linearPos(positions), batch: 1, length: 2 * length - 1)
        if batch > 1 { position = concat(Array(repeating: position, count: batch), axis: 0) }

        let content = matmul(queryU, key, transposeB: true)
        let relative = relativeShift(matmul(queryV, position, transposeB: true))
        let weights = softmax((content + relative) * (1 / Float(headWidth).squareRoot()))
        let context = matmul(weights, value)
        return linearOut(permuted(context, [0, 2, 1, 3]).reshaped([batch, length, width]))
    }
}

/// espnet's `rel_shift` (Transformer-XL): `[..., T, 2T - 1]` scores against the positions
/// `T - 1 ... -(T - 1)` become `[..., T, T]` scores with entry `(i, j)` taken from column
/// `T - 1 - i + j`, the relative position `i - j`.
///
/// Done as the original does it, with a zero column, a reshape and two slices:
/// pad to `[T, 2T]`, view as `[2T, T]`, drop the first row, view as `[T, 2T - 1]`, keep the
/// first `T` columns.
package func relativeShift(_ scores: Tensor) -> Tensor {
    let rank = scores.rank
    precondition(rank >= 2, "relativeShift: scores \(scores.shape)")
    let length = scores.shape[rank - 2]
    precondition(
        scores.shape[rank - 1] == 2 * length - 1, "relativeShift: scores \(scores.shape) are not [..., T, 2T-1]")
    let lead = Array(scores.shape.dropLast(2))
    let padded = concat([Tensor(zeros: lead + [length, 1]), scores], axis: rank - 1)
    let rows = slice(padded.reshaped(lead + [2 * length, length]), axis: rank - 2, 1..<(2 * length))
    return slice(rows.reshaped(lead + [length, 2 * length - 1]), axis: rank - 1, 0..<length)
}
