/// How a ``ResBlock`` changes the resolution.
package enum Resampling: String, Codable, Sendable {
    /// Same resolution.
    case none
    /// Nearest-neighbour 2x up-sampling.
    case up
    /// 2x2 average pooling.
    case down
}

/// The original's `ResBlock` (model/blocks.py), with or without conditioning.
///
/// Keys: `in_layers.{0,2}` (GroupNorm, Conv3x3), and for conditioned blocks `emb_layers.1`
/// (Linear(embed -> 2 out)), `cond_emb_layers.1` (Linear(style -> out)), `out_layers.{0,3}`
/// (GroupNorm, Conv3x3); `skip_connection` (Conv1x1) only when the width changes.
/// ```
/// x = concat([x, lateral], channels)            // decoder blocks with a skip input
/// h = SiLU(GN_in(x))
/// h, x = up(h), up(x)  or  down(h), down(x)     // up/down blocks, before the conv
/// h = conv_in(h)
/// if conditioned:
///     scale, shift = split(emb_layers(SiLU(temb)))
///     c = cond_emb_layers(SiLU(cond))           // precomputed once per render
///     h = conv_out(SiLU((GN_out(h) * (1 + scale) + shift) * (1 + c)))
/// return skip(x) + h                            // added by the last conv as it writes h
/// ```
/// The semantic encoder's blocks are unconditioned: `return skip(x) + conv_in(...)`.
package struct ResBlock: Sendable {
    /// Condition projections of a conditioned block.
    package struct Conditioning: Sendable {
        /// `emb_layers.1`: time embedding -> `[scale, shift]` (2 x out).
        package let embLayers: Linear
        /// `cond_emb_layers.1`: style -> scale (out).
        package let condEmbLayers: Linear
        /// `out_layers.0`.
        package let outNorm: GroupNorm
        /// `out_layers.3`.
        package let outConv: Conv2d
        /// Index of this block's entry in a ``PreparedCondition``.
        package let slot: Int
    }

    /// `in_layers.0`.
    package let inNorm: GroupNorm
    /// `in_layers.2`.
    package let inConv: Conv2d
    /// The conditioned part, `nil` for the encoder's blocks.
    package let conditioning: Conditioning?
    /// `skip_connection` (1x1), `nil` when input and output widths agree.
    package let skipConnection: Conv2d?
    /// Up, down or none.
    package let resampling: Resampling
    /// Input width (including a lateral skip input).
    package let inChannels: Int
    /// Output width.
    package let outChannels: Int

    /// Binds a block taking `inChannels` (after the lateral concat) to `outChannels`.
    ///
    /// - Parameters:
    ///   - conditioning: `(embedChannels, styleChannels, slot)` for a conditioned block, `nil`
    ///     for an unconditioned one.
    package init(
        _ weights: WeightBinder, inChannels: Int, outChannels: Int, resampling: Resampling = .none,
        conditioning: (embedChannels: Int, styleChannels: Int, slot: Int)?
    ) throws {
        inNorm = try GroupNorm(
            weights.scoped("in_layers.0"), channels: inChannels, groups: normalizationGroups(inChannels))
        inConv = try Conv2d(weights.scoped("in_layers.2"), in: inChannels, out: outChannels, kernel: 3)
        if let conditioning {
            self.conditioning = Conditioning(
                embLayers: try Linear(
                    weights.scoped("emb_layers.1"), in: conditioning.embedChannels, out: 2 * outChannels),
                condEmbLayers: try Linear(
                    weights.scoped("cond_emb_layers.1"), in: conditioning.styleChannels, out: outChannels),
                outNorm: try GroupNorm(
                    weights.scoped("out_layers.0"), channels: outChannels, groups: normalizationGroups(outChannels)),
                outConv: try Conv2d(weights.scoped("out_layers.3"), in: outChannels, out: outChannels, kernel: 3),
                slot: conditioning.slot)
        } else {
            self.conditioning = nil
        }
        if inChannels != outChannels {
            skipConnection = try Conv2d(weights.scoped("skip_connection"), in: inChannels, out: outChannels, kernel: 1)
        } else {
            skipConnection = nil
        }
        self.resampling = resampling
        self.inChannels = inChannels
        self.outChannels = outChannels
    }

    /// The style factor `1 + cond_emb_layers.1(siluStyle)` as `[N, out, 1, 1]`, where
    /// `siluStyle = SiLU(cond)` is computed once by the caller; `nil` for unconditioned blocks.
    /// ``callAsFunction(_:lateral:step:kernels:)`` reads it from the step's ``PreparedCondition``.
    package func conditionScale(siluStyle: Tensor) -> Tensor? {
        guard let conditioning else { return nil }
        let c = conditioning.condEmbLayers(siluStyle) + 1
        return c.reshaped([c.shape[0], outChannels, 1, 1])
    }

    /// Applies the block to `x` `[N, C, H, W]` (and the decoder's `lateral` skip input).
    ///
    /// - Parameters:
    ///   - step: the per-call conditioning; required for conditioned blocks.
    ///   - kernels: the arithmetic of its convolutions.
    package func callAsFunction(
        _ x: Tensor, lateral: Tensor? = nil, step: UNetStep? = nil, kernels: KernelSettings
    ) -> Tensor {
        var x = x
        if let lateral { x = concat([x, lateral], axis: 1) }
        var h = inNorm(x, silu: true)
        switch resampling {
        case .none: break
        case .up:
            h = upsampleNearest2x(h)
            x = upsampleNearest2x(x)
        case .down:
            h = avgPool2x2(h)
            x = avgPool2x2(x)
        }
        guard let conditioning else { return closing(inConv, h, skip: x, kernels: kernels) }
        h = inConv(h, kernels: kernels)
        guard let step else { preconditionFailure("a conditioned ResBlock needs the step's embeddings") }
        let n = h.shape[0]
        let e = conditioning.embLayers(step.siluTimeEmbedding)
        let scale = slice(e, axis: 1, 0..<outChannels) + 1
        let shift = slice(e, axis: 1, outChannels..<(2 * outChannels))
        let c = step.condition.scales[conditioning.slot]
        // (GN(h) * (1 + scale) + shift) * (1 + c), as one per-channel affine map fused
        // with the normalisation and the SiLU that follows.
        let c2 = c.reshaped([n, outChannels])
        h = conditioning.outNorm(h, scale: scale * c2, shift: shift * c2, silu: true)
        return closing(conditioning.outConv, h, skip: x, kernels: kernels)
    }

    /// `conv(h) + skip(x)`, the block's last step. Without a skip convolution `x` is added by the
    /// convolution as it writes its output rows (the same sums, without a pass of their own); with
    /// one, the skip's output is made after the convolution's, as in the original, so that the
    /// two (and the convolution's input) are not all held at once, which would raise the peak
    /// memory of a render by a 256 x 256 activation.
    private func closing(_ conv: Conv2d, _ h: Tensor, skip x: Tensor, kernels: KernelSettings) -> Tensor {
        guard let skipConnection else { return conv(h, adding: x, kernels: kernels) }
        var result = conv(h, kernels: kernels)
        result += skipConnection(x, kernels: kernels)
        return result
    }
}
