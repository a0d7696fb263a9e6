/// Port of the original's `BeatGANsEncoderModel` (model/unet.py) as DiffDub configures it
/// (keys `encoder.*`): images `[N, 3, S, S]` in [-1, 1] -> latents `[N, style]`.
///
/// Its res blocks are unconditioned (`skip(x) + conv(SiLU(GN(x)))`, down blocks pooling
/// both paths first). After `middle_block`: `out.0` GroupNorm, SiLU, spatial mean, `out.3`
/// Conv1x1 (applied as a linear map), flatten.
package struct SemanticEncoder: Sendable {
    /// The hyper-parameters it was built with.
    package let configuration: SemanticEncoderConfiguration
    /// `input_blocks`.
    package let inputBlocks: [TimestepBlock]
    /// `middle_block`.
    package let middleBlock: TimestepBlock
    /// `out.0`.
    package let outNorm: GroupNorm
    /// `out.3`, its `[style, C, 1, 1]` weight as `[style, C]`.
    package let outProjection: Linear

    /// Binds the encoder under `weights` (a binder at `encoder.`).
    ///
    /// - Throws: ``WeightError`` naming the first missing or mis-shaped key.
    package init(_ weights: WeightBinder, configuration: SemanticEncoderConfiguration) throws {
        self.configuration = configuration
        let plainResBlock = { (binder: WeightBinder, inChannels: Int, outChannels: Int, resampling: Resampling) in
            try ResBlock(
                binder, inChannels: inChannels, outChannels: outChannels, resampling: resampling, conditioning: nil)
        }
        let down = try DownPath(
            weights.scoped("input_blocks"), inChannels: configuration.inChannels,
            modelChannels: configuration.modelChannels, multipliers: configuration.channelMultipliers,
            resBlocks: configuration.resBlocksPerLevel, attentionLevels: configuration.attentionLevels,
            heads: configuration.attentionHeads, makeResBlock: plainResBlock)
        inputBlocks = down.blocks
        let ch = down.channels
        middleBlock = try makeMiddleBlock(
            weights.scoped("middle_block"), channels: ch, heads: configuration.attentionHeads,
            makeResBlock: plainResBlock)
        outNorm = try GroupNorm(weights.scoped("out.0"), channels: ch, groups: normalizationGroups(ch))
        let projection = try Conv2d(weights.scoped("out.3"), in: ch, out: configuration.outChannels, kernel: 1)
        outProjection = Linear(
            weight: projection.weight.reshaped([configuration.outChannels, ch]), bias: projection.bias)
    }

    /// Encodes `[N, in, S, S]` images in [-1, 1] to `[N, out]` latents, the convolutions and
    /// attention products with the arithmetic of `kernels`.
    package func callAsFunction(_ images: Tensor, kernels: KernelSettings) -> Tensor {
        precondition(
            images.rank == 4 && images.shape[1] == configuration.inChannels,
            "SemanticEncoder: images should be [N, \(configuration.inChannels), S, S], are \(images.shape)")
        var h = images
        for block in inputBlocks { h = block(h, kernels: kernels) }
        h = middleBlock(h, kernels: kernels)
        return outProjection(globalAveragePool(outNorm(h, silu: true)))
    }
}
