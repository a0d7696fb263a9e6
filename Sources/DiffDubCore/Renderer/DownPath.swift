/// Builds the `input_blocks` shared by the UNet and the semantic encoder:
/// `input_blocks.0` = Conv3x3(in -> ch_0), then per level `resBlocks` x [ResBlock(ch -> ch_l)
/// (+ attention)] and, except on the last level, a down ResBlock(ch_l -> ch_l).
struct DownPath {
    /// The blocks, in key order.
    var blocks: [TimestepBlock] = []
    /// The output width of every block (the UNet's skip inputs), in order.
    var widths: [Int] = []
    /// Width after the last block.
    var channels: Int = 0

    /// - Parameter makeResBlock: binds a res block `(binder, in, out, resampling)`.
    init(
        _ weights: WeightBinder, inChannels: Int, modelChannels: Int, multipliers: [Int], resBlocks: Int,
        attentionLevels: [Int], heads: Int,
        makeResBlock: (WeightBinder, Int, Int, Resampling) throws -> ResBlock
    ) throws {
        guard let firstMultiplier = multipliers.first, resBlocks >= 1 else {
            throw WeightError.invalidConfiguration(
                "'\(weights.prefix)': a model needs at least one level and one res block per level",
                source: weights.sourceName)
        }
        var ch = modelChannels * firstMultiplier
        blocks.append(
            TimestepBlock([.convolution(try Conv2d(weights.scoped("0.0"), in: inChannels, out: ch, kernel: 3))]))
        widths.append(ch)
        for (level, multiplier) in multipliers.enumerated() {
            let width = modelChannels * multiplier
            for _ in 0..<resBlocks {
                let block = weights.scoped("\(blocks.count)")
                var layers: [TimestepBlock.Layer] = [.residual(try makeResBlock(block.scoped("0"), ch, width, .none))]
                ch = width
                if attentionLevels.contains(level) {
                    layers.append(.attention(try AttentionBlock(block.scoped("1"), channels: ch, heads: heads)))
                }
                blocks.append(TimestepBlock(layers))
                widths.append(ch)
            }
            if level < multipliers.count - 1 {
                let block = weights.scoped("\(blocks.count)")
                blocks.append(TimestepBlock([.residual(try makeResBlock(block.scoped("0"), ch, ch, .down))]))
                widths.append(ch)
            }
        }
        channels = ch
    }
}

/// The `middle_block`: ResBlock, AttentionBlock, ResBlock at the deepest width.
func makeMiddleBlock(
    _ weights: WeightBinder, channels: Int, heads: Int,
    makeResBlock: (WeightBinder, Int, Int, Resampling) throws -> ResBlock
) throws -> TimestepBlock {
    TimestepBlock([
        .residual(try makeResBlock(weights.scoped("0"), channels, channels, .none)),
        .attention(try AttentionBlock(weights.scoped("1"), channels: channels, heads: heads)),
        .residual(try makeResBlock(weights.scoped("2"), channels, channels, .none)),
    ])
}
