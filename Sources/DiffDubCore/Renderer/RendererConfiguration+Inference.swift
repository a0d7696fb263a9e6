extension RendererConfiguration {
    /// Reads the configuration off the tensor shapes of a stage-1 state dict.
    ///
    /// `weights` is a binder at the model's root (keys `time_embed.*`, `input_blocks.*`,
    /// `encoder.*`, ... with the `ema_model.` prefix already removed). Widths come from
    /// `time_embed`, `input_blocks.0`, `out` and every level's first res block; levels and res
    /// blocks per level from the up-sampling blocks among `output_blocks` (every level but the
    /// first ends with one); attention from the `qkv` keys. The encoder's down blocks carry no
    /// distinguishing keys, so its res blocks per level is the smallest count (2 first, the
    /// original's `enc_num_res_block`) under which every would-be down block keeps its width,
    /// has no attention and no skip convolution.
    ///
    /// - Parameter imageSize: the image side; when `nil` it is `16 << l` for the first level
    ///   `l` with attention (the original puts attention at resolution 16).
    /// - Throws: ``WeightError`` naming the missing key or the inconsistency.
    package static func inferred(from weights: WeightBinder, imageSize: Int? = nil) throws
        -> RendererConfiguration
    {
        let reader = ShapeReader(weights)
        let unet = try inferUNet(reader)
        let encoder = try inferEncoder(ShapeReader(weights.scoped("encoder")), modelChannels: unet.modelChannels)
        let size: Int
        if let imageSize {
            size = imageSize
        } else if let level = unet.attentionLevels.first ?? encoder.attentionLevels.first {
            size = attentionResolution << level
        } else {
            throw reader.invalid(
                "cannot infer the image size: no attention block outside the middle block; pass the image size explicitly"
            )
        }
        let deepest = max(unet.levels, encoder.levels) - 1
        guard size > 0, size % (1 << deepest) == 0 else {
            throw reader.invalid(
                "image size \(size) is not divisible by \(1 << deepest), as the model's \(deepest) down-sampling steps need"
            )
        }
        return RendererConfiguration(imageSize: size, unet: unet, encoder: encoder)
    }

    private static func inferUNet(_ reader: ShapeReader) throws -> UNetConfiguration {
        let time = try reader.shape("time_embed.time_embed.0.weight", rank: 2)
        let modelChannels = time[1]
        let first = try reader.shape("input_blocks.0.0.weight", rank: 4)
        let out = try reader.shape("out.2.weight", rank: 4)
        let style = try reader.shape("input_blocks.1.0.cond_emb_layers.1.weight", rank: 2)

        let outputCount = try reader.blockCount("output_blocks")
        let inputCount = try reader.blockCount("input_blocks")
        // Output block k ends a level (and up-samples) when one of its sub-modules after the
        // first is a res block.
        let upBlocks = (0..<outputCount).filter { k in
            reader.binder.scoped("output_blocks.\(k)").childNames().dropFirst().contains { name in
                reader.binder.containsModule("output_blocks.\(k).\(name).in_layers")
            }
        }
        let perLevel = (upBlocks.first ?? (outputCount - 1)) + 1
        let levels = outputCount / perLevel
        guard perLevel >= 2, outputCount % perLevel == 0,
            upBlocks == (0..<(levels - 1)).map({ $0 * perLevel + perLevel - 1 }),
            inputCount == outputCount
        else {
            throw reader.invalid(
                "output_blocks (\(outputCount), up-sampling at \(upBlocks)) and input_blocks (\(inputCount)) "
                    + "do not form a UNet with a fixed number of res blocks per level")
        }
        let resBlocks = perLevel - 1
        var multipliers: [Int] = []
        var attention: [Int] = []
        for level in 0..<levels {
            let index = level * perLevel + 1
            let conv = try reader.shape("input_blocks.\(index).0.in_layers.2.weight", rank: 4)
            multipliers.append(try reader.multiplier(conv[0], of: modelChannels, key: "input_blocks.\(index).0"))
            if reader.binder.containsModule("input_blocks.\(index).1.qkv") { attention.append(level) }
        }
        return UNetConfiguration(
            inChannels: first[1], outChannels: out[0], modelChannels: modelChannels,
            channelMultipliers: multipliers, resBlocksPerLevel: resBlocks, attentionLevels: attention,
            embedChannels: time[0], styleChannels: style[1])
    }

    private static func inferEncoder(_ reader: ShapeReader, modelChannels: Int) throws
        -> SemanticEncoderConfiguration
    {
        let first = try reader.shape("input_blocks.0.0.weight", rank: 4)
        let out = try reader.shape("out.3.weight", rank: 4)
        let count = try reader.blockCount("input_blocks")
        for resBlocks in [2, 1, 3, 4, 5, 6, 7, 8] {
            if let layout = try encoderLayout(
                reader, blockCount: count, resBlocks: resBlocks, modelChannels: modelChannels)
            {
                return SemanticEncoderConfiguration(
                    inChannels: first[1], modelChannels: modelChannels, channelMultipliers: layout.multipliers,
                    resBlocksPerLevel: resBlocks, attentionLevels: layout.attention, outChannels: out[0])
            }
        }
        throw reader.invalid(
            "input_blocks (\(count)) do not form an encoder with a fixed number of res blocks per level")
    }

    /// The multipliers and attention levels if `resBlocks` per level explains the encoder's
    /// blocks, else `nil`.
    private static func encoderLayout(
        _ reader: ShapeReader, blockCount: Int, resBlocks: Int, modelChannels: Int
    ) throws -> (multipliers: [Int], attention: [Int])? {
        let perLevel = resBlocks + 1
        guard blockCount % perLevel == 0 else { return nil }
        let levels = blockCount / perLevel
        var multipliers: [Int] = []
        var attention: [Int] = []
        for level in 0..<levels {
            let regular = (1...resBlocks).map { level * perLevel + $0 }
            let widths = try regular.map { try reader.shape("input_blocks.\($0).0.in_layers.2.weight", rank: 4)[0] }
            let withAttention = regular.map { reader.binder.containsModule("input_blocks.\($0).1.qkv") }
            guard Set(widths).count == 1, Set(withAttention).count == 1 else { return nil }
            if level < levels - 1 {
                let down = "input_blocks.\((level + 1) * perLevel)"
                let conv = try reader.shape("\(down).0.in_layers.2.weight", rank: 4)
                guard conv[0] == conv[1], conv[0] == widths[0],
                    reader.binder.scoped(down).childNames() == ["0"],
                    !reader.binder.containsModule("\(down).0.skip_connection")
                else { return nil }
            }
            guard widths[0] % modelChannels == 0 else { return nil }
            multipliers.append(widths[0] / modelChannels)
            if withAttention[0] { attention.append(level) }
        }
        return (multipliers, attention)
    }
}

/// Shape look-ups with errors that name the key (configuration inference only).
struct ShapeReader {
    let binder: WeightBinder

    init(_ binder: WeightBinder) { self.binder = binder }

    func invalid(_ message: String) -> WeightError {
        .invalidConfiguration(message, source: binder.sourceName)
    }

    func shape(_ name: String, rank: Int) throws -> [Int] {
        let shape = try binder.requireShape(of: name)
        guard shape.count == rank else {
            throw invalid("tensor '\(binder.key(name))' has shape \(shape), expected rank \(rank)")
        }
        return shape
    }

    /// Number of numbered sub-modules `0..<n` under `name`; they must be contiguous.
    func blockCount(_ name: String) throws -> Int {
        let children = binder.scoped(name).childNames()
        guard !children.isEmpty else {
            throw WeightError.missing(key: binder.key(name) + ".0", source: binder.sourceName)
        }
        guard children == (0..<children.count).map(String.init) else {
            throw invalid("'\(binder.key(name))' should hold blocks numbered 0..<\(children.count), found \(children)")
        }
        return children.count
    }

    func multiplier(_ width: Int, of base: Int, key: String) throws -> Int {
        guard base > 0, width % base == 0 else {
            throw invalid("'\(binder.key(key))' has \(width) channels, not a multiple of the base width \(base)")
        }
        return width / base
    }
}
