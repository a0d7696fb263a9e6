extension WeightBinder {
    /// Throws ``WeightError/missing(key:source:)`` or ``WeightError/shapeMismatch(key:expected:found:source:)``
    /// unless the tensor `name` exists with exactly `expected` shape. Layers bind afterwards,
    /// so a wrongly shaped checkpoint fails with the key's name before any data is read.
    func expectShape(_ name: String, _ expected: [Int]) throws {
        let found = try requireShape(of: name)
        guard found == expected else {
            throw WeightError.shapeMismatch(key: key(name), expected: expected, found: found, source: stateDict.source)
        }
    }

    /// Expects a `GroupNorm` over `channels` (`weight`, `bias`) under `name`.
    func expectNorm(_ name: String, channels: Int) throws {
        try expectShape(name + ".weight", [channels])
        try expectShape(name + ".bias", [channels])
    }

    /// Expects a convolution `[out, in, k, k]` with bias `[out]` under `name`.
    func expectConv2d(_ name: String, out: Int, in inChannels: Int, kernel: Int) throws {
        try expectShape(name + ".weight", [out, inChannels, kernel, kernel])
        try expectShape(name + ".bias", [out])
    }

    /// Expects a linear layer `[out, in]` with bias `[out]` under `name`.
    func expectLinear(_ name: String, out: Int, in inFeatures: Int) throws {
        try expectShape(name + ".weight", [out, inFeatures])
        try expectShape(name + ".bias", [out])
    }
}

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
