/// The forward-process noise schedule of a diffusion model, in `Double`.
///
/// `betas[t]` is the variance added at step `t` (0-based, `t = 0..T-1`) and
/// `alphasCumulative[t] = prod_{s <= t} (1 - betas[s])` ("alpha bar"). DiffDub trains with
/// ``linear(trainingSteps:betaStart:betaEnd:)`` over T = 1000 steps and samples with a
/// respaced subset of them (``respaced(steps:)``). Everything is computed in float64, as the
/// original does with NumPy.
package struct NoiseSchedule: Sendable, Equatable {
    /// Per-step variances, `T` values in (0, 1].
    package let betas: [Double]
    /// `alpha bar`: the cumulative products of `1 - betas`.
    package let alphasCumulative: [Double]

    /// A schedule over the given variances.
    ///
    /// - Precondition: every beta lies in (0, 1].
    package init(betas: [Double]) {
        precondition(!betas.isEmpty && betas.allSatisfy { $0 > 0 && $0 <= 1 }, "betas must lie in (0, 1]")
        self.betas = betas
        var product = 1.0
        self.alphasCumulative = betas.map { beta in
            product *= 1.0 - beta
            return product
        }
    }

    /// Number of training steps T.
    package var trainingSteps: Int { betas.count }

    /// The linear schedule of DDPM (`np.linspace(betaStart * 1000 / T, betaEnd * 1000 / T, T)`),
    /// with NumPy's `linspace` arithmetic: `beta_i = i * step + start`, the last value set to
    /// the end point exactly.
    package static func linear(trainingSteps: Int = 1000, betaStart: Double = 1e-4, betaEnd: Double = 0.02)
        -> NoiseSchedule
    {
        precondition(trainingSteps >= 1, "at least one training step")
        let scale = 1000.0 / Double(trainingSteps)
        let start = scale * betaStart
        let end = scale * betaEnd
        guard trainingSteps > 1 else { return NoiseSchedule(betas: [start]) }
        let step = (end - start) / Double(trainingSteps - 1)
        var betas = (0..<trainingSteps).map { Double($0) * step + start }
        betas[trainingSteps - 1] = end
        return NoiseSchedule(betas: betas)
    }

    /// DiffDub's schedule: linear, T = 1000, betas from 1e-4 to 0.02.
    package static let diffDub = NoiseSchedule.linear()

    /// The stride `k` of "ddimN": the smallest integer `k` in `1..<T` with
    /// `len(range(0, T, k)) == steps`, or `nil` when there is none (the original rejects
    /// such step counts).
    package static func respacingStride(steps: Int, trainingSteps: Int) -> Int? {
        guard steps >= 1 else { return nil }
        for stride in 1..<max(trainingSteps, 1) where (trainingSteps + stride - 1) / stride == steps {
            return stride
        }
        return nil
    }

    /// Every step count "ddimN" accepts for `trainingSteps`, ascending.
    package static func validStepCounts(trainingSteps: Int) -> [Int] {
        Array(Set((1..<max(trainingSteps, 1)).map { (trainingSteps + $0 - 1) / $0 })).sorted()
    }

    /// The schedule restricted to the timesteps "ddimN" keeps: `range(0, T, k)` with `k` from
    /// ``respacingStride(steps:trainingSteps:)``.
    ///
    /// As in the original's spaced diffusion, the kept steps get the betas
    /// `1 - abar[t_i] / abar[t_{i-1}]` (with `abar[t_{-1}] = 1`), whose cumulative product
    /// reproduces `abar` at the kept steps.
    ///
    /// - Throws: ``DiffusionError/unsupportedStepCount(requested:trainingSteps:below:above:)``
    ///   naming the nearest valid counts when no integer stride gives exactly `steps`.
    package func respaced(steps: Int) throws -> RespacedSchedule {
        guard let stride = Self.respacingStride(steps: steps, trainingSteps: trainingSteps) else {
            let valid = Self.validStepCounts(trainingSteps: trainingSteps)
            throw DiffusionError.unsupportedStepCount(
                requested: steps, trainingSteps: trainingSteps,
                below: valid.last { $0 < steps }, above: valid.first { $0 > steps })
        }
        let kept = Swift.stride(from: 0, to: trainingSteps, by: stride).map { $0 }
        return respaced(keeping: kept)
    }

    /// The schedule restricted to `timesteps` (ascending, within `0..<T`).
    package func respaced(keeping timesteps: [Int]) -> RespacedSchedule {
        var previous = 1.0
        var spacedBetas: [Double] = []
        for t in timesteps {
            spacedBetas.append(1.0 - alphasCumulative[t] / previous)
            previous = alphasCumulative[t]
        }
        let spaced = NoiseSchedule(betas: spacedBetas)
        return RespacedSchedule(timesteps: timesteps, alphasCumulative: spaced.alphasCumulative)
    }
}

/// The diffusion process at a subset of the training timesteps, as a sampler walks it.
///
/// Index `i` (0..<count) is a sampling step; ``timesteps``[i] is the original timestep
/// the model is called with. ``alphasCumulative``[i] is `abar` at that step and
/// ``alphasCumulativePrevious``[i] the value of the step before (1 for i = 0).
package struct RespacedSchedule: Sendable, Equatable {
    /// The kept original timesteps, ascending (for "ddim20": 0, 50, ..., 950).
    package let timesteps: [Int]
    /// `abar` at each kept step (float64).
    package let alphasCumulative: [Double]

    /// A respaced schedule from its parts.
    ///
    /// - Precondition: both arrays have the same, non-zero length.
    package init(timesteps: [Int], alphasCumulative: [Double]) {
        precondition(!timesteps.isEmpty && timesteps.count == alphasCumulative.count, "respaced schedule parts")
        self.timesteps = timesteps
        self.alphasCumulative = alphasCumulative
    }

    /// Number of sampling steps.
    package var count: Int { timesteps.count }

    /// `abar` of the previous kept step: `[1, abar[0], ..., abar[count - 2]]`.
    package var alphasCumulativePrevious: [Double] { [1.0] + alphasCumulative.dropLast() }
}
