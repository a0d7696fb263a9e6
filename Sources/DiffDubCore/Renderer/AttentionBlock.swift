/// The original's `AttentionBlock` with `QKVAttentionLegacy`: self-attention over the
/// spatial positions of a feature map.
///
/// Keys: `norm` (GroupNorm), `qkv` (Conv1d C -> 3C, k = 1), `proj_out` (Conv1d C -> C, k = 1).
/// With `x` as `[B, C, T]` (T = H W) and `d = C / heads`:
/// ```
/// qkv = qkv(GN(x)) as [B * heads, 3d, T]; q, k, v = its three d-row slices   // "legacy" order
/// w = softmax_over_s(q^T k / sqrt(d))                                         // [B * heads, T, S]
/// a = v w^T                                                                   // [B * heads, d, T]
/// return x + proj_out(a as [B, C, T])
/// ```
/// (The original scales q and k by `d^-1/4` each; one `1/sqrt(d)` on the product is the
/// same up to rounding.)
package struct AttentionBlock: Sendable {
    /// `norm`.
    package let norm: GroupNorm
    /// `qkv`.
    package let qkv: Conv1d
    /// `proj_out`.
    package let projOut: Conv1d
    /// Number of heads.
    package let heads: Int
    /// Channels.
    package let channels: Int

    /// Binds an attention block over `channels` with `heads` heads.
    package init(_ weights: WeightBinder, channels: Int, heads: Int = 1) throws {
        guard heads >= 1, channels % heads == 0 else {
            throw WeightError.invalidConfiguration(
                "'\(weights.prefix)': \(channels) channels cannot be split into \(heads) attention heads",
                source: weights.sourceName)
        }
        norm = try GroupNorm(weights.scoped("norm"), channels: channels, groups: normalizationGroups(channels))
        qkv = try Conv1d(weights.scoped("qkv"), in: channels, out: 3 * channels, kernel: 1)
        projOut = try Conv1d(weights.scoped("proj_out"), in: channels, out: channels, kernel: 1)
        self.heads = heads
        self.channels = channels
    }

    /// Applies the block to `[B, C, H, W]`, its products with the arithmetic of `kernels`.
    package func callAsFunction(_ x: Tensor, kernels: KernelSettings) -> Tensor {
        let shape = x.shape
        let (b, c) = (shape[0], shape[1])
        let length = shape.dropFirst(2).reduce(1, *)
        let flat = x.reshaped([b, c, length])
        let d = c / heads
        let projected = qkv(norm(flat), kernels: kernels).reshaped([b * heads, 3 * d, length])
        let q = slice(projected, axis: 1, 0..<d)
        let k = slice(projected, axis: 1, d..<(2 * d))
        let v = slice(projected, axis: 1, (2 * d)..<(3 * d))
        let scores = matmul(q, k, transposeA: true, kernels: kernels) * (1 / Float(d).squareRoot())
        let weights = softmax(scores)
        let attended = matmul(v, weights, transposeB: true, kernels: kernels).reshaped([b, c, length])
        return (flat + projOut(attended, kernels: kernels)).reshaped(shape)
    }
}
