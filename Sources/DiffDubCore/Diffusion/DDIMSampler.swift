/// Deterministic DDIM (eta = 0), as the original's `ddim_sample_loop` runs it.
///
/// For i = N-1 ... 0 with `abar = abar[i]`, `abar' = abar_prev[i]` and `t = timesteps[i]`:
/// ```
/// x   = (1 - mask) * x + mask * known            // when inpainting
/// eps = model(x, t)
/// x0  = clamp(sqrt(1/abar) x - sqrt(1/abar - 1) eps, -1, 1)   // clamp if clipDenoised
/// eps = (sqrt(1/abar) x - x0) / sqrt(1/abar - 1)
/// x   = x0 sqrt(abar') + sqrt(1 - abar') eps
/// ```
/// The coefficients come from the float64 schedule and are rounded to `Float`, as the
/// original's `_extract_into_tensor(...).float()`; the element-wise math is in `Float`.
/// The kept region is not pasted back after the last step.
package struct DDIMSampler: Sampler {
    /// Whether the predicted `x0` is clamped to [-1, 1] (the original's `clip_denoised`,
    /// true for DiffDub).
    package var clipDenoised: Bool

    /// A DDIM sampler; `clipDenoised` defaults to the original's `True`.
    package init(clipDenoised: Bool = true) {
        self.clipDenoised = clipDenoised
    }

    /// See ``Sampler/sample(from:schedule:constraint:progress:predictNoise:)``.
    package func sample(
        from noise: Tensor, schedule: RespacedSchedule, constraint: InpaintingConstraint?,
        progress: SamplingProgress? = nil, predictNoise: NoisePredictor
    ) throws -> Tensor {
        var x = noise
        let previous = schedule.alphasCumulativePrevious
        for (done, i) in (0..<schedule.count).reversed().enumerated() {
            if let constraint { x = constraint.apply(x) }
            let eps = try predictNoise(x, schedule.timesteps[i])
            let abar = schedule.alphasCumulative[i]
            let recip = Float((1.0 / abar).squareRoot())
            let recipMinusOne = Float((1.0 / abar - 1.0).squareRoot())
            let abarPrevious = Float(previous[i])
            let scaledX = x * recip
            var x0 = scaledX - eps * recipMinusOne
            if clipDenoised { x0 = clamp(x0, -1, 1) }
            let impliedNoise = (scaledX - x0) / Tensor(scalar: recipMinusOne)
            x = x0 * abarPrevious.squareRoot() + impliedNoise * (1 - abarPrevious).squareRoot()
            try progress?(done + 1, schedule.count)
        }
        return x
    }
}
