/// The DiffDub stage-1 renderer: a diffusion auto-encoder whose semantic encoder turns a
/// (lip-cropped) face into a style latent, and whose UNet, run by a DDIM sampler, inpaints
/// the masked region of a frame so that it follows a latent.
///
/// ```swift
/// let renderer = try Renderer(stateDict: checkpoint)          // binds ema_model.*
/// let latents = try renderer.encode(lipCrops)                 // [N, 512]
/// let frames = try renderer.render(
///     frames: x, reference: ref, masks: keep, latents: latents, noise: xT, steps: 20)
/// ```
/// Shapes: images are `[N, 3, S, S]` in [-1, 1]; `S` = `configuration`'s image size.
public struct Renderer: Sendable {
    /// The model's hyper-parameters (inferred or given).
    package let configuration: RendererConfiguration
    /// The denoising UNet.
    package let unet: UNet
    /// The semantic encoder.
    package let encoder: SemanticEncoder
    /// The training noise schedule (linear, T = 1000).
    package let schedule: NoiseSchedule

    /// The key prefix of the weights inference uses in a DiffDub stage-1 checkpoint. The file
    /// also holds `model.*` (the non-EMA copy, different weights) and `x_T`; both are ignored.
    public static let checkpointPrefix = "ema_model."

    /// Builds the renderer from a checkpoint's state dict.
    ///
    /// Takes the tensors under `prefix` (the EMA copy), infers the configuration from their
    /// shapes unless `configuration` is given, and binds strictly: every tensor under
    /// `prefix` must be used, every tensor the model needs must exist with its shape.
    ///
    /// - Parameters:
    ///   - stateDict: the stage-1 checkpoint's tensors.
    ///   - configuration: the model's sizes; `nil` to infer them from the tensors' shapes.
    ///   - imageSize: overrides the inferred image size (ignored when `configuration` is given).
    ///   - prefix: `"ema_model."` for checkpoints; `""` for a state dict of the model alone.
    ///     Must end in `.` unless empty.
    /// - Throws: `RendererError.missingPrefix(prefix:source:)`, `WeightError` naming the key.
    public init(
        stateDict: StateDict, prefix: String = Renderer.checkpointPrefix, imageSize: Int? = nil,
        configuration: RendererConfiguration? = nil
    ) throws {
        guard prefix.isEmpty || (prefix.hasSuffix(".") && stateDict.containsKeys(withPrefix: prefix)) else {
            throw RendererError.missingPrefix(prefix: prefix, source: stateDict.source)
        }
        // A binder scoped at the prefix: errors name full checkpoint keys, and the strict
        // check covers exactly the keys under the prefix.
        let root = WeightBinder(stateDict)
        let weights = prefix.isEmpty ? root : root.scoped(String(prefix.dropLast()))
        let configuration = try configuration ?? RendererConfiguration.inferred(from: weights, imageSize: imageSize)
        try self.init(weights, configuration: configuration)
    }

    /// Binds a renderer of `configuration` under `weights` (a binder at the model's root, e.g.
    /// `WeightBinder(stateDict).scoped("ema_model")`), strictly: ``WeightBinder/finish()``
    /// reports tensors under the binder's prefix that no layer took.
    ///
    /// This is the one statement of the stage-1 key layout: a random model of any size is
    /// `try Renderer(WeightBinder(randomSeed: 7), configuration: .released)`, and its
    /// ``WeightBinder/boundStateDict`` is a checkpoint of it.
    ///
    /// - Throws: ``WeightError`` naming the first missing, mis-shaped or unused key.
    package init(_ weights: WeightBinder, configuration: RendererConfiguration) throws {
        self.configuration = configuration
        unet = try UNet(weights, configuration: configuration.unet)
        encoder = try SemanticEncoder(weights.scoped("encoder"), configuration: configuration.encoder)
        try weights.finish()
        schedule = .diffDub
    }

    /// Side of the images the model works on.
    public var imageSize: Int { configuration.imageSize }

    /// Encodes images `[N, 3, S, S]` in [-1, 1] to latents `[N, style]`, with the large products
    /// in `precision` (bf16 is emulated where the machine lacks it, `Precision.runsNatively`).
    public func encode(_ images: Tensor, precision: Precision = .fp32) throws -> Tensor {
        try encode(images, kernels: KernelSettings(precision: precision))
    }

    /// ``encode(_:precision:)`` with every kernel setting given (benchmarks compare algorithms).
    package func encode(_ images: Tensor, kernels: KernelSettings) throws -> Tensor {
        try checkImages(images, argument: "images", channels: configuration.encoder.inChannels, batch: nil)
        return ComputeSettings().runIfUnset { encoder(images, kernels: kernels) }
    }

    /// Predicts the noise of one UNet call: `x` `[N, 6, S, S]` (noisy image ++ reference),
    /// `timesteps` N original timesteps, `latents` `[N, style]` -> `[N, 3, S, S]`; the large
    /// products in `precision` (bf16 is emulated where the machine lacks it, ``Precision/runsNatively``).
    package func predictNoise(
        _ x: Tensor, timesteps: [Float], latents: Tensor, precision: Precision = .fp32
    ) throws -> Tensor {
        try predictNoise(x, timesteps: timesteps, latents: latents, kernels: KernelSettings(precision: precision))
    }

    /// ``predictNoise(_:timesteps:latents:precision:)`` with every kernel setting given.
    package func predictNoise(
        _ x: Tensor, timesteps: [Float], latents: Tensor, kernels: KernelSettings
    ) throws -> Tensor {
        try checkImages(x, argument: "x", channels: configuration.unet.inChannels, batch: nil)
        try checkLatents(latents, batch: x.shape[0])
        guard timesteps.count == x.shape[0] else {
            throw RendererError.invalidShape(
                argument: "timesteps", shape: [timesteps.count], expected: "[\(x.shape[0])]")
        }
        return ComputeSettings().runIfUnset { unet(x, timesteps: timesteps, cond: latents, kernels: kernels) }
    }

    /// Renders N frames by DDIM inpainting.
    ///
    /// Starting from `noise`, each of the `steps` denoising steps first restores the kept
    /// pixels (`x = (1 - mask) x + mask frames`), then calls the UNet on `[x, reference]` with
    /// the frame's latent. The style projections are computed once per call.
    ///
    /// - Parameters:
    ///   - frames: `[N, 3, S, S]` in [-1, 1]: the pixels to keep (`x_start`).
    ///   - reference: `[N or 1, 3, S, S]` in [-1, 1] (`x_ref`).
    ///   - masks: `[N or 1, 1 or 3, S, S]`, 1 = keep the frame's pixel, 0 = generate
    ///     (see ``inpaintingMask(_:imageSize:)`` for other layouts).
    ///   - latents: `[N, style]`, one lip latent per frame (`cond`).
    ///   - noise: `[N or 1, 3, S, S]` (`x_T`; the original shares one across frames).
    ///   - steps: DDIM steps; "ddimN" must accept it (20 -> stride 50, 7 -> 143).
    ///   - sampler: the sampler (DDIM with clipping by default).
    ///   - precision: the arithmetic of the UNet's large products (Winograd, 1x1 convolutions,
    ///     attention): ``Precision/fp32`` or ``Precision/bf16`` (emulated where the machine
    ///     lacks it, ``Precision/runsNatively``); fp32 by default.
    ///   - progress: called after every step with `(done, steps)`; what it throws (such as
    ///     `CancellationError`) ends the render between two steps.
    ///
    /// Runs with the ``ComputeSettings`` in force (``ComputeSettings/run(_:)``), or the default
    /// ones.
    /// - Returns: `[N, 3, S, S]` in [0, 1]: `(x_0 + 1) / 2` (the kept region is not pasted back).
    /// - Throws: ``RendererError`` for mis-shaped inputs, ``DiffusionError`` for unsupported steps.
    package func render(
        frames: Tensor, reference: Tensor, masks: Tensor, latents: Tensor, noise: Tensor, steps: Int,
        sampler: any Sampler = DDIMSampler(), precision: Precision = .fp32, progress: SamplingProgress? = nil
    ) throws -> Tensor {
        try render(
            frames: frames, reference: reference, masks: masks, latents: latents, noise: noise, steps: steps,
            sampler: sampler, kernels: KernelSettings(precision: precision), progress: progress)
    }

    /// ``render(frames:reference:masks:latents:noise:steps:sampler:precision:progress:)`` with
    /// every kernel setting given (`diffdub render --bf16-winograd-tile`, benchmarks).
    package func render(
        frames: Tensor, reference: Tensor, masks: Tensor, latents: Tensor, noise: Tensor, steps: Int,
        sampler: any Sampler = DDIMSampler(), kernels: KernelSettings, progress: SamplingProgress? = nil
    ) throws -> Tensor {
        let respaced = try sampler.schedule(schedule, steps: steps)
        try checkImages(frames, argument: "frames", channels: 3, batch: nil)
        let n = frames.shape[0]
        try checkImages(reference, argument: "reference", channels: 3, batch: n)
        try checkImages(noise, argument: "noise", channels: 3, batch: n)
        try checkLatents(latents, batch: n)
        let s = imageSize
        guard masks.rank == 4, masks.shape[0] == 1 || masks.shape[0] == n, masks.shape[1] == 1 || masks.shape[1] == 3,
            masks.shape[2] == s, masks.shape[3] == s
        else {
            throw RendererError.invalidShape(
                argument: "masks", shape: masks.shape, expected: "[\(n) or 1, 1 or 3, \(s), \(s)]")
        }
        return try ComputeSettings().runIfUnset {
            let references = Self.repeated(reference, to: n)
            let condition = unet.prepareCondition(latents)
            let constraint = InpaintingConstraint(mask: masks, known: frames)
            let sample = try sampler.sample(
                from: Self.repeated(noise, to: n), schedule: respaced, constraint: constraint, progress: progress
            ) { x, timestep in
                unet(
                    concat([x, references], axis: 1), timesteps: Array(repeating: Float(timestep), count: n),
                    condition: condition, kernels: kernels)
            }
            return (sample + 1) * 0.5
        }
    }

    /// A mask in the layout ``render(frames:reference:masks:latents:noise:steps:sampler:precision:progress:)``
    /// takes, from `[S, S]`, `[N, S, S, 1 or 3]` (HWC, as the original passes it) or
    /// `[N, 1 or 3, S, S]`.
    package static func inpaintingMask(_ mask: Tensor, imageSize s: Int) throws -> Tensor {
        let shape = mask.shape
        if shape == [s, s] { return mask.reshaped([1, 1, s, s]) }
        if shape.count == 4, shape[1] == s, shape[2] == s, shape[3] == 1 || shape[3] == 3 {
            return permuted(mask, [0, 3, 1, 2])
        }
        if shape.count == 4, shape[1] == 1 || shape[1] == 3, shape[2] == s, shape[3] == s { return mask }
        throw RendererError.invalidShape(
            argument: "mask", shape: shape, expected: "[\(s), \(s)], [N, \(s), \(s), 1 or 3] or [N, 1 or 3, \(s), \(s)]"
        )
    }

    private func checkImages(_ images: Tensor, argument: String, channels: Int, batch: Int?) throws {
        let s = imageSize
        let shape = images.shape
        let batchOK = batch.map { shape.first == 1 || shape.first == $0 } ?? ((shape.first ?? 0) > 0)
        guard shape.count == 4, batchOK, shape[1] == channels, shape[2] == s, shape[3] == s else {
            let n = batch.map { "\($0) or 1" } ?? "N"
            throw RendererError.invalidShape(
                argument: argument, shape: shape, expected: "[\(n), \(channels), \(s), \(s)]")
        }
    }

    private func checkLatents(_ latents: Tensor, batch: Int) throws {
        let style = configuration.unet.styleChannels
        guard latents.shape == [batch, style] else {
            throw RendererError.invalidShape(
                argument: "latents", shape: latents.shape, expected: "[\(batch), \(style)]")
        }
    }

    /// `x` with its batch of 1 repeated `n` times (unchanged when it already has `n`).
    private static func repeated(_ x: Tensor, to n: Int) -> Tensor {
        x.shape[0] == n ? x : concat(Array(repeating: x, count: n), axis: 0)
    }
}
