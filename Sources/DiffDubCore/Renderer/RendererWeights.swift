/// The key layout of a stage-1 model and random weights in it, for tests, benchmarks and
/// demos that need a model of a given configuration without a checkpoint file.
public enum RendererWeights {
    /// What a tensor of the layout is, which decides how ``random(configuration:seed:)`` fills it.
    public enum Role: Sendable, Equatable {
        /// A convolution or linear weight with `fanIn` inputs per output.
        case weight(fanIn: Int)
        /// The bias of a layer with `fanIn` inputs per output.
        case bias(fanIn: Int)
        /// A normalisation scale.
        case normScale
        /// A normalisation shift.
        case normShift
    }

    /// One tensor of the layout.
    public struct Entry: Sendable, Equatable {
        /// Key without the checkpoint prefix, e.g. `input_blocks.1.0.in_layers.2.weight`.
        public let key: String
        /// Shape.
        public let shape: [Int]
        /// Kind of parameter.
        public let role: Role
    }

    /// Every tensor a model of `configuration` binds, in module order, keys without prefix
    /// (`time_embed.*`, `input_blocks.*`, `middle_block.*`, `output_blocks.*`, `out.*`,
    /// `encoder.*`).
    public static func layout(for configuration: RendererConfiguration) -> [Entry] {
        var entries: [Entry] = []
        func linear(_ name: String, out: Int, in fanIn: Int) {
            entries.append(Entry(key: name + ".weight", shape: [out, fanIn], role: .weight(fanIn: fanIn)))
            entries.append(Entry(key: name + ".bias", shape: [out], role: .bias(fanIn: fanIn)))
        }
        func conv2d(_ name: String, out: Int, in inChannels: Int, kernel: Int) {
            let fanIn = inChannels * kernel * kernel
            entries.append(
                Entry(key: name + ".weight", shape: [out, inChannels, kernel, kernel], role: .weight(fanIn: fanIn)))
            entries.append(Entry(key: name + ".bias", shape: [out], role: .bias(fanIn: fanIn)))
        }
        func conv1d(_ name: String, out: Int, in inChannels: Int) {
            entries.append(Entry(key: name + ".weight", shape: [out, inChannels, 1], role: .weight(fanIn: inChannels)))
            entries.append(Entry(key: name + ".bias", shape: [out], role: .bias(fanIn: inChannels)))
        }
        func norm(_ name: String, _ channels: Int) {
            entries.append(Entry(key: name + ".weight", shape: [channels], role: .normScale))
            entries.append(Entry(key: name + ".bias", shape: [channels], role: .normShift))
        }
        func resBlock(_ name: String, _ inChannels: Int, _ outChannels: Int, conditioned: Bool) {
            norm(name + ".in_layers.0", inChannels)
            conv2d(name + ".in_layers.2", out: outChannels, in: inChannels, kernel: 3)
            if conditioned {
                let unet = configuration.unet
                linear(name + ".emb_layers.1", out: 2 * outChannels, in: unet.embedChannels)
                linear(name + ".cond_emb_layers.1", out: outChannels, in: unet.styleChannels)
                norm(name + ".out_layers.0", outChannels)
                conv2d(name + ".out_layers.3", out: outChannels, in: outChannels, kernel: 3)
            }
            if inChannels != outChannels {
                conv2d(name + ".skip_connection", out: outChannels, in: inChannels, kernel: 1)
            }
        }
        func attention(_ name: String, _ channels: Int) {
            norm(name + ".norm", channels)
            conv1d(name + ".qkv", out: 3 * channels, in: channels)
            conv1d(name + ".proj_out", out: channels, in: channels)
        }
        /// input_blocks + middle_block under `prefix`; returns the skip widths and final width.
        func downPath(
            _ prefix: String, inChannels: Int, base: Int, multipliers: [Int], resBlocks: Int, attentionLevels: [Int],
            conditioned: Bool
        ) -> (widths: [Int], channels: Int) {
            var ch = base * multipliers[0]
            var index = 0
            conv2d("\(prefix)input_blocks.0.0", out: ch, in: inChannels, kernel: 3)
            var widths = [ch]
            index += 1
            for (level, multiplier) in multipliers.enumerated() {
                for _ in 0..<resBlocks {
                    resBlock("\(prefix)input_blocks.\(index).0", ch, base * multiplier, conditioned: conditioned)
                    ch = base * multiplier
                    if attentionLevels.contains(level) { attention("\(prefix)input_blocks.\(index).1", ch) }
                    widths.append(ch)
                    index += 1
                }
                if level < multipliers.count - 1 {
                    resBlock("\(prefix)input_blocks.\(index).0", ch, ch, conditioned: conditioned)
                    widths.append(ch)
                    index += 1
                }
            }
            resBlock("\(prefix)middle_block.0", ch, ch, conditioned: conditioned)
            attention("\(prefix)middle_block.1", ch)
            resBlock("\(prefix)middle_block.2", ch, ch, conditioned: conditioned)
            return (widths, ch)
        }

        let unet = configuration.unet
        linear("time_embed.time_embed.0", out: unet.embedChannels, in: unet.modelChannels)
        linear("time_embed.time_embed.2", out: unet.embedChannels, in: unet.embedChannels)
        var (widths, ch) = downPath(
            "", inChannels: unet.inChannels, base: unet.modelChannels, multipliers: unet.channelMultipliers,
            resBlocks: unet.resBlocksPerLevel, attentionLevels: unet.attentionLevels, conditioned: true)
        var index = 0
        for (level, multiplier) in unet.channelMultipliers.enumerated().reversed() {
            for i in 0...unet.resBlocksPerLevel {
                let width = unet.modelChannels * multiplier
                resBlock("output_blocks.\(index).0", ch + widths.removeLast(), width, conditioned: true)
                ch = width
                var sub = 1
                if unet.attentionLevels.contains(level) {
                    attention("output_blocks.\(index).\(sub)", ch)
                    sub += 1
                }
                if level > 0 && i == unet.resBlocksPerLevel {
                    resBlock("output_blocks.\(index).\(sub)", ch, ch, conditioned: true)
                }
                index += 1
            }
        }
        norm("out.0", ch)
        conv2d("out.2", out: unet.outChannels, in: unet.modelChannels * unet.channelMultipliers[0], kernel: 3)

        let encoder = configuration.encoder
        let (_, encoderChannels) = downPath(
            "encoder.", inChannels: encoder.inChannels, base: encoder.modelChannels,
            multipliers: encoder.channelMultipliers, resBlocks: encoder.resBlocksPerLevel,
            attentionLevels: encoder.attentionLevels, conditioned: false)
        norm("encoder.out.0", encoderChannels)
        conv2d("encoder.out.3", out: encoder.outChannels, in: encoderChannels, kernel: 1)
        return entries
    }

    /// A state dict of random weights in the layout of `configuration`, keys prefixed with
    /// `prefix` (`""`: bind with `Renderer(stateDict:prefix: "")`; `"ema_model."`: as a checkpoint).
    ///
    /// Weights and biases are uniform with variance `1 / fanIn` (`±sqrt(3 / fanIn)`), norm
    /// scales `1 ± 0.1`, norm shifts `±0.1`, so activations stay of order one through the
    /// network. Each tensor is generated when first loaded, from `seed` and its key, so the
    /// values do not depend on the order of loading.
    public static func random(configuration: RendererConfiguration, seed: UInt64, prefix: String = "") -> StateDict {
        var records: [String: TensorRecord] = [:]
        for entry in layout(for: configuration) {
            let tensorSeed = seed ^ fnv1a(entry.key)
            let (center, halfWidth): (Float, Float)
            switch entry.role {
            case .weight(let fanIn), .bias(let fanIn):
                (center, halfWidth) = (0, (3 / Float(max(fanIn, 1))).squareRoot())
            case .normScale: (center, halfWidth) = (1, 0.1)
            case .normShift: (center, halfWidth) = (0, 0.1)
            }
            let shape = entry.shape
            records[prefix + entry.key] = TensorRecord(scalarType: .float32, shape: shape) {
                uniformRandomTensor(shape, center: center, halfWidth: halfWidth, seed: tensorSeed)
            }
        }
        return StateDict(source: "random weights (seed \(seed))", records: records)
    }

    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
