/// Port of the denoising network of the original's `BeatGANsAutoencModel`
/// (model/unet_autoenc.py, model/unet.py), without its semantic encoder.
///
/// `(x [N, 6, S, S], t [N], cond [N, style]) -> eps [N, 3, S, S]`: `x` is the noisy image
/// concatenated with the reference image, `t` the original timestep (0..999) and `cond` the
/// lip latent. Keys: `time_embed.time_embed.{0,2}`, `input_blocks.K`, `middle_block`,
/// `output_blocks.K`, `out.{0,2}`.
///
/// Every input block's output is pushed on one stack (the stem convolution's too); every
/// output block pops one and concatenates it after its input (`[h, skip]`) in its first res
/// block. The output side has `resBlocksPerLevel + 1` blocks per level, from the deepest
/// level up; each level but the first ends with an up-sampling res block.
package struct UNet: Sendable {
    /// The hyper-parameters it was built with.
    package let configuration: UNetConfiguration
    /// `time_embed.time_embed`.
    package let timeEmbed: TimestepEmbedding
    /// `input_blocks`.
    package let inputBlocks: [TimestepBlock]
    /// `middle_block`.
    package let middleBlock: TimestepBlock
    /// `output_blocks`.
    package let outputBlocks: [TimestepBlock]
    /// `out.0`.
    package let outNorm: GroupNorm
    /// `out.2`.
    package let outConv: Conv2d
    /// Every conditioned res block, in ``ResBlock/Conditioning/slot`` order.
    private let conditionedBlocks: [ResBlock]

    /// Binds the UNet under `weights` (a binder at the model root: `input_blocks.0.0.weight`
    /// is `weights.key("input_blocks.0.0.weight")`). Keys under `encoder.` are left alone.
    ///
    /// - Throws: ``WeightError`` naming the first missing or mis-shaped key.
    package init(_ weights: WeightBinder, configuration: UNetConfiguration) throws {
        self.configuration = configuration
        var conditioned: [ResBlock] = []
        let conditionedResBlock = { (binder: WeightBinder, inChannels: Int, outChannels: Int, resampling: Resampling) in
            let block = try ResBlock(
                binder, inChannels: inChannels, outChannels: outChannels, resampling: resampling,
                conditioning: (configuration.embedChannels, configuration.styleChannels, conditioned.count))
            conditioned.append(block)
            return block
        }
        timeEmbed = try TimestepEmbedding(
            weights.scoped("time_embed"), channels: configuration.modelChannels,
            embedChannels: configuration.embedChannels)
        let down = try DownPath(
            weights.scoped("input_blocks"), inChannels: configuration.inChannels,
            modelChannels: configuration.modelChannels, multipliers: configuration.channelMultipliers,
            resBlocks: configuration.resBlocksPerLevel, attentionLevels: configuration.attentionLevels,
            heads: configuration.attentionHeads, makeResBlock: conditionedResBlock)
        inputBlocks = down.blocks
        var ch = down.channels
        middleBlock = try makeMiddleBlock(
            weights.scoped("middle_block"), channels: ch, heads: configuration.attentionHeads,
            makeResBlock: conditionedResBlock)

        var skipWidths = down.widths
        var blocks: [TimestepBlock] = []
        for (level, multiplier) in configuration.channelMultipliers.enumerated().reversed() {
            let width = configuration.modelChannels * multiplier
            for i in 0...configuration.resBlocksPerLevel {
                let block = weights.scoped("output_blocks.\(blocks.count)")
                let skip = skipWidths.removeLast()
                var layers: [TimestepBlock.Layer] = [
                    .residual(try conditionedResBlock(block.scoped("0"), ch + skip, width, .none))
                ]
                ch = width
                if configuration.attentionLevels.contains(level) {
                    layers.append(
                        .attention(
                            try AttentionBlock(
                                block.scoped("\(layers.count)"), channels: ch, heads: configuration.attentionHeads)))
                }
                if level > 0 && i == configuration.resBlocksPerLevel {
                    layers.append(.residual(try conditionedResBlock(block.scoped("\(layers.count)"), ch, ch, .up)))
                }
                blocks.append(TimestepBlock(layers))
            }
        }
        outputBlocks = blocks
        outNorm = try GroupNorm(weights.scoped("out.0"), channels: ch, groups: normalizationGroups(ch))
        outConv = try Conv2d(weights.scoped("out.2"), in: ch, out: configuration.outChannels, kernel: 3)
        conditionedBlocks = conditioned
    }

    /// Projects the style `cond` `[N, style]` for every conditioned res block:
    /// `1 + cond_emb_layers(SiLU(cond))`. Compute it once per render and pass it to every
    /// ``callAsFunction(_:timesteps:condition:kernels:)``.
    package func prepareCondition(_ cond: Tensor) -> PreparedCondition {
        precondition(
            cond.rank == 2 && cond.shape[1] == configuration.styleChannels,
            "UNet: cond should be [N, \(configuration.styleChannels)], is \(cond.shape)")
        let siluStyle = silu(cond)
        return PreparedCondition(
            scales: conditionedBlocks.compactMap { $0.conditionScale(siluStyle: siluStyle) }, batchSize: cond.shape[0])
    }

    /// Predicts the noise: `x` `[N, in, S, S]`, one timestep per sample (original timesteps,
    /// as floats), the prepared condition of N samples -> `[N, out, S, S]`; the convolutions and
    /// attention products with the arithmetic of `kernels` (``KernelSettings``, e.g. bf16 products).
    package func callAsFunction(
        _ x: Tensor, timesteps: [Float], condition: PreparedCondition, kernels: KernelSettings
    ) -> Tensor {
        precondition(
            x.rank == 4 && x.shape[1] == configuration.inChannels && x.shape[0] == timesteps.count
                && x.shape[0] == condition.batchSize,
            "UNet: x \(x.shape), \(timesteps.count) timesteps, condition of \(condition.batchSize)")
        let step = UNetStep(siluTimeEmbedding: silu(timeEmbed(timesteps)), condition: condition)
        var skips: [Tensor] = []
        skips.reserveCapacity(inputBlocks.count)
        var h = x
        for block in inputBlocks {
            h = block(h, step: step, kernels: kernels)
            skips.append(h)
        }
        h = middleBlock(h, step: step, kernels: kernels)
        for block in outputBlocks {
            h = block(h, lateral: skips.removeLast(), step: step, kernels: kernels)
        }
        return outConv(outNorm(h, silu: true), kernels: kernels)
    }

    /// Predicts the noise with a condition computed for this call only.
    package func callAsFunction(_ x: Tensor, timesteps: [Float], cond: Tensor, kernels: KernelSettings) -> Tensor {
        self(x, timesteps: timesteps, condition: prepareCondition(cond), kernels: kernels)
    }
}
