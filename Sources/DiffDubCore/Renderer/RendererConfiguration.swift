/// The shape of a DiffDub stage-1 model: UNet, semantic encoder and the image size.
///
/// Everything except the image size and the attention head count can be read off a
/// checkpoint's tensor shapes (`inferred(from:imageSize:)`); the image size is inferred
/// from where attention sits (at resolution 16 in the original configuration) unless given.
/// `released` is the configuration of the published checkpoint.
public struct RendererConfiguration: Codable, Sendable, Equatable {
    /// Side of the square images the model works on (256 released).
    package var imageSize: Int
    /// The denoising UNet (`BeatGANsAutoencModel` without its encoder).
    package var unet: UNetConfiguration
    /// The semantic encoder (`BeatGANsEncoderModel`, keys `encoder.*`).
    package var encoder: SemanticEncoderConfiguration

    /// A configuration from its parts.
    package init(imageSize: Int, unet: UNetConfiguration, encoder: SemanticEncoderConfiguration) {
        self.imageSize = imageSize
        self.unet = unet
        self.encoder = encoder
    }

    enum CodingKeys: String, CodingKey {
        case imageSize = "image_size"
        case unet
        case encoder
    }

    /// The released DiffDub stage-1 model: image 256, channels 128, UNet multipliers
    /// 1,1,2,2,4,4, encoder multipliers 1,1,2,2,4,4,4, attention at resolution 16, two res
    /// blocks per level, 512-d time embedding and style.
    package static let released = RendererConfiguration(
        imageSize: 256,
        unet: UNetConfiguration(
            inChannels: 6, outChannels: 3, modelChannels: 128, channelMultipliers: [1, 1, 2, 2, 4, 4],
            resBlocksPerLevel: 2, attentionLevels: [4], embedChannels: 512, styleChannels: 512),
        encoder: SemanticEncoderConfiguration(
            inChannels: 3, modelChannels: 128, channelMultipliers: [1, 1, 2, 2, 4, 4, 4],
            resBlocksPerLevel: 2, attentionLevels: [4], outChannels: 512))

    /// The resolutions at which the UNet has attention (`imageSize >> level`).
    package var attentionResolutions: [Int] { unet.attentionLevels.map { imageSize >> $0 } }

    /// Resolution at which the original configuration puts attention; used to infer the
    /// image size.
    package static let attentionResolution = 16
}

/// The UNet's hyper-parameters (the original's `BeatGANsUNetConfig` fields that shape
/// tensors). Level `l` works at resolution `imageSize >> l` with
/// `modelChannels * channelMultipliers[l]` channels.
package struct UNetConfiguration: Codable, Sendable, Equatable {
    /// Input channels: noisy image ++ reference image (6).
    package var inChannels: Int
    /// Output channels: the predicted noise (3).
    package var outChannels: Int
    /// Base width (128 released); also the width of the sinusoidal timestep embedding.
    package var modelChannels: Int
    /// Width multiplier per level.
    package var channelMultipliers: [Int]
    /// Res blocks per level on the way down (one more on the way up).
    package var resBlocksPerLevel: Int
    /// Levels (0-based) whose res blocks are followed by self-attention.
    package var attentionLevels: [Int]
    /// Width of the time embedding (`time_embed` output).
    package var embedChannels: Int
    /// Width of the style vector `cond` (the semantic encoder's output).
    package var styleChannels: Int
    /// Attention heads (not stored in checkpoints; 1 in the original).
    package var attentionHeads: Int

    /// A UNet configuration from its parts.
    package init(
        inChannels: Int, outChannels: Int, modelChannels: Int, channelMultipliers: [Int],
        resBlocksPerLevel: Int, attentionLevels: [Int], embedChannels: Int, styleChannels: Int,
        attentionHeads: Int = 1
    ) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.modelChannels = modelChannels
        self.channelMultipliers = channelMultipliers
        self.resBlocksPerLevel = resBlocksPerLevel
        self.attentionLevels = attentionLevels
        self.embedChannels = embedChannels
        self.styleChannels = styleChannels
        self.attentionHeads = attentionHeads
    }

    enum CodingKeys: String, CodingKey {
        case inChannels = "in_channels"
        case outChannels = "out_channels"
        case modelChannels = "model_channels"
        case channelMultipliers = "channel_mult"
        case resBlocksPerLevel = "num_res_blocks"
        case attentionLevels = "attention_levels"
        case embedChannels = "embed_channels"
        case styleChannels = "style_channels"
        case attentionHeads = "num_heads"
    }

    /// Number of resolution levels.
    package var levels: Int { channelMultipliers.count }
}

/// The semantic encoder's hyper-parameters (the original's `BeatGANsEncoderConfig`).
package struct SemanticEncoderConfiguration: Codable, Sendable, Equatable {
    /// Input channels (3: an RGB image).
    package var inChannels: Int
    /// Base width (the UNet's).
    package var modelChannels: Int
    /// Width multiplier per level.
    package var channelMultipliers: [Int]
    /// Res blocks per level (the original's `enc_num_res_block`, 2).
    package var resBlocksPerLevel: Int
    /// Levels (0-based) whose res blocks are followed by self-attention.
    package var attentionLevels: [Int]
    /// Output width: the style / latent size.
    package var outChannels: Int
    /// Attention heads (not stored in checkpoints; 1 in the original).
    package var attentionHeads: Int

    /// An encoder configuration from its parts.
    package init(
        inChannels: Int, modelChannels: Int, channelMultipliers: [Int], resBlocksPerLevel: Int,
        attentionLevels: [Int], outChannels: Int, attentionHeads: Int = 1
    ) {
        self.inChannels = inChannels
        self.modelChannels = modelChannels
        self.channelMultipliers = channelMultipliers
        self.resBlocksPerLevel = resBlocksPerLevel
        self.attentionLevels = attentionLevels
        self.outChannels = outChannels
        self.attentionHeads = attentionHeads
    }

    enum CodingKeys: String, CodingKey {
        case inChannels = "in_channels"
        case modelChannels = "model_channels"
        case channelMultipliers = "channel_mult"
        case resBlocksPerLevel = "num_res_blocks"
        case attentionLevels = "attention_levels"
        case outChannels = "out_channels"
        case attentionHeads = "num_heads"
    }

    /// Number of resolution levels.
    package var levels: Int { channelMultipliers.count }
}
