/// The GroupNorm group count of the original's `normalization(channels)`: `min(32, C)`.
func normalizationGroups(_ channels: Int) -> Int { min(32, channels) }

extension GroupNorm {
    /// `SiLU?(GN(x) * scale[n, c] + shift[n, c])` in one pass (the fused kernel): the
    /// res blocks' `SiLU(GN(x))` with `scale`/`shift` nil, and their modulated
    /// `SiLU(GN(h) * gain + offset)` with `[N, C]` factors.
    func callAsFunction(_ x: Tensor, scale: Tensor? = nil, shift: Tensor? = nil, silu: Bool) -> Tensor {
        groupNorm(x, groups: groups, weight: weight, bias: bias, eps: eps, scale: scale, shift: shift, silu: silu)
    }
}
