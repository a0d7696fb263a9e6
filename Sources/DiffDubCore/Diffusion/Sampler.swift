/// The known part of an image during inpainting: before every denoising step the sampler
/// replaces the kept pixels by the original's, `x = (1 - mask) * x + mask * known`.
///
/// `mask` is 1 where the original pixel is kept, 0 where the model generates; it broadcasts
/// against `[N, C, H, W]` (NumPy rules: `[N or 1, 1 or C, H, W]`).
package struct InpaintingConstraint: Sendable {
    /// `1 - mask`, precomputed once.
    package let generatedWeight: Tensor
    /// `mask * known`, precomputed once.
    package let keptPart: Tensor

    /// A constraint keeping `known` where `mask` is 1.
    package init(mask: Tensor, known: Tensor) {
        self.generatedWeight = (mask * -1) + 1
        self.keptPart = mask * known
    }

    /// `(1 - mask) * x + mask * known`.
    package func apply(_ x: Tensor) -> Tensor {
        generatedWeight * x + keptPart
    }
}

/// Predicts the noise `eps` in `x` at an original timestep (0..<T): the UNet, with whatever
/// conditioning the caller closes over.
package typealias NoisePredictor = (_ x: Tensor, _ timestep: Int) throws -> Tensor

/// Reports sampling progress after every step: `(completedSteps, totalSteps)`. Throwing
/// (for example `CancellationError`) stops the sampler between two steps.
package typealias SamplingProgress = (_ completed: Int, _ total: Int) throws -> Void

/// A reverse-diffusion sampler: turns noise into an image by repeatedly calling a
/// noise predictor along a respaced schedule.
package protocol Sampler: Sendable {
    /// The timesteps this sampler walks for `steps` model calls of `base`. By default the
    /// original's "ddimN" respacing (``NoiseSchedule/respaced(steps:)``).
    ///
    /// - Throws: ``DiffusionError`` when the sampler cannot take `steps` steps.
    func schedule(_ base: NoiseSchedule, steps: Int) throws -> RespacedSchedule

    /// Runs the reverse process from `noise` (`[N, C, H, W]`) over `schedule`, from its last
    /// step to its first, applying `constraint` before every model call.
    ///
    /// - Returns: the final sample, in the model's data range ([-1, 1] for DiffDub).
    func sample(
        from noise: Tensor, schedule: RespacedSchedule, constraint: InpaintingConstraint?,
        progress: SamplingProgress?, predictNoise: NoisePredictor
    ) throws -> Tensor
}

extension Sampler {
    /// "ddimN": see ``NoiseSchedule/respaced(steps:)``.
    package func schedule(_ base: NoiseSchedule, steps: Int) throws -> RespacedSchedule {
        try base.respaced(steps: steps)
    }
}
