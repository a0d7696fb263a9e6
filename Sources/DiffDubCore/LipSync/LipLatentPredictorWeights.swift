/// Stage-2 weights without a checkpoint: the exact key layout of a stage-2 checkpoint, filled
/// with seeded random values.
///
/// For tests, benchmarks and demos at any size (``LipLatentPredictorConfiguration/released``
/// gives a model of the released size, 35.1 M parameters). The values follow PyTorch's default
/// initialisation scale so activations stay finite and of order one: matrices, convolution
/// kernels and their biases uniform in `±1/sqrt(fan_in)`; LayerNorm and BatchNorm scales in
/// `1 ± 0.1`, shifts in `±0.1`; BatchNorm running means in `±0.1`, running variances in
/// `[0.5, 1.5]`; `pos_bias_u/v` uniform in `±sqrt(6 / (heads + d_k))` (espnet's Xavier
/// initialisation); the Hubert layer logits in `±1`. The same seed gives the same weights.
public enum LipLatentPredictorWeights {
    /// How one tensor is filled.
    enum Fill {
        /// Uniform in `center ± spread`.
        case uniform(center: Float, spread: Float)
        /// BatchNorm's int64 `num_batches_tracked` counter (0).
        case counter
    }

    /// A state dict with every tensor of a stage-2 checkpoint of `configuration`'s sizes,
    /// keys prefixed by `prefix` (`seq2seq.encoder.` as in the released file).
    public static func random(
        configuration: LipLatentPredictorConfiguration = .released, seed: UInt64 = 0,
        prefix: String = LipLatentPredictor.checkpointPrefix
    ) -> StateDict {
        var generator = SplitMix64(seed: seed)
        var records: [String: TensorRecord] = [:]
        for (key, shape, fill) in layout(configuration) {
            switch fill {
            case .counter:
                records[prefix + key] = TensorRecord(Tensor(zeros: shape), scalarType: .int64)
            case .uniform(let center, let spread):
                let count = Tensor.elementCount(of: shape)
                var scalars = [Float](repeating: 0, count: count)
                for i in 0..<count {
                    scalars[i] = center + spread * (2 * generator.nextUnitFloat() - 1)
                }
                records[prefix + key] = TensorRecord(Tensor(shape: shape, scalars: scalars))
            }
        }
        return StateDict(source: "random stage-2 weights (seed \(seed))", records: records)
    }

    /// Every key (without prefix), its shape and how it is filled, in module order.
    static func layout(_ configuration: LipLatentPredictorConfiguration) -> [(String, [Int], Fill)] {
        let d = configuration.latentWidth
        let units = configuration.linearUnits
        let kernel = configuration.convolutionKernelSize
        var entries: [(String, [Int], Fill)] = []
        func fan(_ fanIn: Int) -> Fill { .uniform(center: 0, spread: 1 / Float(fanIn).squareRoot()) }
        func linear(_ name: String, out: Int, in fanIn: Int, bias: Bool = true) {
            entries.append((name + ".weight", [out, fanIn], fan(fanIn)))
            if bias { entries.append((name + ".bias", [out], fan(fanIn))) }
        }
        func norm(_ name: String) {
            entries.append((name + ".weight", [d], .uniform(center: 1, spread: 0.1)))
            entries.append((name + ".bias", [d], .uniform(center: 0, spread: 0.1)))
        }
        func conformer(_ name: String, blocks: Int) {
            let heads = configuration.attentionHeads
            let headWidth = d / heads
            for index in 0..<blocks {
                let block = "\(name).encoders.\(index)."
                let xavier = Fill.uniform(center: 0, spread: (6 / Float(heads + headWidth)).squareRoot())
                entries.append((block + "self_attn.pos_bias_u", [heads, headWidth], xavier))
                entries.append((block + "self_attn.pos_bias_v", [heads, headWidth], xavier))
                for projection in ["linear_q", "linear_k", "linear_v", "linear_out"] {
                    linear(block + "self_attn." + projection, out: d, in: d)
                }
                linear(block + "self_attn.linear_pos", out: d, in: d, bias: false)
                for feedForward in ["feed_forward", "feed_forward_macaron"] {
                    linear(block + feedForward + ".w_1", out: units, in: d)
                    linear(block + feedForward + ".w_2", out: d, in: units)
                }
                let conv = block + "conv_module."
                entries.append((conv + "pointwise_conv1.weight", [2 * d, d, 1], fan(d)))
                entries.append((conv + "pointwise_conv1.bias", [2 * d], fan(d)))
                entries.append((conv + "depthwise_conv.weight", [d, 1, kernel], fan(kernel)))
                entries.append((conv + "depthwise_conv.bias", [d], fan(kernel)))
                norm(conv + "norm")
                entries.append((conv + "norm.running_mean", [d], .uniform(center: 0, spread: 0.1)))
                entries.append((conv + "norm.running_var", [d], .uniform(center: 1, spread: 0.5)))
                entries.append((conv + "norm.num_batches_tracked", [], .counter))
                entries.append((conv + "pointwise_conv2.weight", [d, d, 1], fan(d)))
                entries.append((conv + "pointwise_conv2.bias", [d], fan(d)))
                for name in ["norm_ff", "norm_mha", "norm_ff_macaron", "norm_conv", "norm_final"] {
                    norm(block + name)
                }
            }
        }
        entries.append(("weights", [configuration.hubertLayers], .uniform(center: 0, spread: 1)))
        entries.append(
            ("down_sample_audio_nar.weight", [d, configuration.audioWidth, 3], fan(3 * configuration.audioWidth)))
        entries.append(("down_sample_audio_nar.bias", [d], fan(3 * configuration.audioWidth)))
        conformer("reference_encoder", blocks: configuration.referenceEncoderBlocks)
        conformer("speech_encoder", blocks: configuration.speechEncoderBlocks)
        conformer("coarse_decoder", blocks: configuration.coarseDecoderBlocks)
        linear("out_proj", out: d, in: d)
        entries.append(("cross_attention.self_attn.in_proj_weight", [3 * d, d], fan(d)))
        entries.append(("cross_attention.self_attn.in_proj_bias", [3 * d], fan(d)))
        linear("cross_attention.self_attn.out_proj", out: d, in: d)
        linear("cross_attention.linear1", out: d, in: d)
        linear("cross_attention.linear2", out: d, in: d)
        norm("cross_attention.norm1")
        norm("cross_attention.norm2")
        return entries
    }
}
