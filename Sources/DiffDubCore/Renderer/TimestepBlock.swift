/// One entry of `input_blocks`, `middle_block` or `output_blocks` (the original's
/// `TimestepEmbedSequential`): its sub-modules `0, 1, ...` applied in order.
package struct TimestepBlock: Sendable {
    /// A sub-module.
    package enum Layer: Sendable {
        /// The stem convolution (`input_blocks.0.0`).
        case convolution(Conv2d)
        /// A res block (plain, up or down).
        case residual(ResBlock)
        /// Self-attention.
        case attention(AttentionBlock)
    }

    /// The sub-modules, in key order.
    package let layers: [Layer]

    /// A block of the given layers.
    package init(_ layers: [Layer]) { self.layers = layers }

    /// Output width of the block's last layer that changes it.
    package var outChannels: Int? {
        for layer in layers.reversed() {
            switch layer {
            case .convolution(let conv): return conv.outChannels
            case .residual(let block): return block.outChannels
            case .attention(let block): return block.channels
            }
        }
        return nil
    }

    /// Applies the layers; `lateral` goes to the res blocks that take a skip input (the first
    /// res block of a decoder block), `step` to conditioned res blocks, `kernels` (the arithmetic)
    /// to every layer.
    package func callAsFunction(
        _ x: Tensor, lateral: Tensor? = nil, step: UNetStep? = nil, kernels: KernelSettings
    ) -> Tensor {
        var h = x
        var lateral = lateral
        for layer in layers {
            switch layer {
            case .convolution(let conv): h = conv(h, kernels: kernels)
            case .residual(let block):
                h = block(h, lateral: lateral, step: step, kernels: kernels)
                lateral = nil
            case .attention(let block): h = block(h, kernels: kernels)
            }
        }
        return h
    }
}
