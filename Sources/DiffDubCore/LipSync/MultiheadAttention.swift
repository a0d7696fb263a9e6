/// `torch.nn.MultiheadAttention` (no masks, `kdim = vdim = d`) at inference.
///
/// Keys: `in_proj_weight` `[3d, d]` and `in_proj_bias` `[3d]` (rows `0..<d` project the
/// queries, `d..<2d` the keys, `2d..<3d` the values) and `out_proj` (`[d, d]` with bias).
/// Per head `h` of width `d / heads`: `out_h = softmax(q_h k_h^T / sqrt(d / heads)) v_h`;
/// heads concatenated, then `out_proj`.
package struct MultiheadAttention: Sendable {
    /// Query rows of `in_proj_weight`.
    package let queryWeight: Tensor
    /// Key rows of `in_proj_weight`.
    package let keyWeight: Tensor
    /// Value rows of `in_proj_weight`.
    package let valueWeight: Tensor
    /// Query part of `in_proj_bias`.
    package let queryBias: Tensor
    /// Key part of `in_proj_bias`.
    package let keyBias: Tensor
    /// Value part of `in_proj_bias`.
    package let valueBias: Tensor
    /// `out_proj`.
    package let outProjection: Linear
    /// Number of heads.
    package let heads: Int

    /// Binds the projections under `weights` for width `width` and `heads` heads.
    package init(_ weights: WeightBinder, width: Int, heads: Int) throws {
        let inWeight = try weights.tensor("in_proj_weight", shape: [3 * width, width], .fanIn(width))
        let inBias = try weights.tensor("in_proj_bias", shape: [3 * width], .fanIn(width))
        queryWeight = slice(inWeight, axis: 0, 0..<width)
        keyWeight = slice(inWeight, axis: 0, width..<(2 * width))
        valueWeight = slice(inWeight, axis: 0, (2 * width)..<(3 * width))
        queryBias = slice(inBias, axis: 0, 0..<width)
        keyBias = slice(inBias, axis: 0, width..<(2 * width))
        valueBias = slice(inBias, axis: 0, (2 * width)..<(3 * width))
        outProjection = try Linear(weights.scoped("out_proj"), in: width, out: width)
        self.heads = heads
    }

    /// Attends `query` `[B, Tq, d]` to `memory` `[B, Tk, d]` (keys and values) -> `[B, Tq, d]`.
    package func callAsFunction(query: Tensor, memory: Tensor) -> Tensor {
        let (batch, queryLength, width) = (query.shape[0], query.shape[1], query.shape[2])
        let headWidth = width / heads
        /// `[B, L, d]` -> `[B * heads, L, d / heads]`.
        func splitHeads(_ y: Tensor) -> Tensor {
            let length = y.shape[1]
            return permuted(y.reshaped([batch, length, heads, headWidth]), [0, 2, 1, 3])
                .reshaped([batch * heads, length, headWidth])
        }
        let attended = scaledDotProductAttention(
            query: splitHeads(linear(query, weight: queryWeight, bias: queryBias)),
            key: splitHeads(linear(memory, weight: keyWeight, bias: keyBias)),
            value: splitHeads(linear(memory, weight: valueWeight, bias: valueBias)),
            scale: 1 / Float(headWidth).squareRoot())
        let merged = permuted(attended.reshaped([batch, heads, queryLength, headWidth]), [0, 2, 1, 3])
        return outProjection(merged.reshaped([batch, queryLength, width]))
    }
}
