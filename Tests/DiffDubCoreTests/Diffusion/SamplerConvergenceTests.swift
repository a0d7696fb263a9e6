import DiffDubCore
import Foundation
import TestSupport
import Testing

/// Both samplers on data with a known answer: every pixel of `x0` is `N(mu, s^2)`, independently.
///
/// Then `x_t = a x0 + sigma eps` (`a = sqrt(abar_t)`, `sigma = sqrt(1 - abar_t)`) is
/// `N(a mu, a^2 s^2 + sigma^2)`, and the exact noise predictor is the posterior mean
/// `E[eps | x_t] = Cov(eps, x_t) / Var(x_t) (x_t - a mu) = sigma (x_t - a mu) / (a^2 s^2 + sigma^2)`.
/// The probability-flow ODE maps the standardised value through unchanged, so from `x_T` at the
/// schedule's first step (`abar_T`) its exact end point is
/// `x0 = mu + s (x_T - a_T mu) / sqrt(a_T^2 s^2 + 1 - a_T^2)`: the samplers must approach it, and
/// the samples' mean and standard deviation must approach `mu` and `s`.
@Suite("Samplers on Gaussian data")
struct SamplerConvergenceTests {
    static let (mu, s) = (0.1, 0.2)
    static let noise = GaussianNoise.sample(shape: [1, 1, 64, 64], seed: 11)

    /// The exact `eps` of the Gaussian data at original timestep `t`.
    static func exactNoise(_ x: Tensor, _ t: Int) -> Tensor {
        let abar = NoiseSchedule.diffDub.alphasCumulative[t]
        let a = abar.squareRoot()
        let variance = abar * s * s + 1 - abar
        return (x + Float(-a * mu)) * Float((1 - abar).squareRoot() / variance)
    }

    /// The exact end point of the ODE from ``noise`` for `steps`, and a sampler's max error to it,
    /// mean and standard deviation.
    static func run(_ sampler: any Sampler, steps: Int) throws -> (error: Double, mean: Double, std: Double) {
        let schedule = try sampler.schedule(NoiseSchedule.diffDub, steps: steps)
        let result = try sampler.sample(
            from: noise, schedule: schedule, constraint: nil, progress: nil, predictNoise: exactNoise)
        let abarT = schedule.alphasCumulative[schedule.count - 1]
        let aT = abarT.squareRoot()
        let spread = (abarT * s * s + 1 - abarT).squareRoot()
        let values: [Double] = result.scalars.map(Double.init)
        let exact: [Double] = noise.scalars.map { (z: Float) -> Double in mu + s * (Double(z) - aT * mu) / spread }
        let error: Double = zip(values, exact).map { abs($0 - $1) }.max() ?? .infinity
        let count = Double(values.count)
        let mean: Double = values.reduce(0, +) / count
        let squares: [Double] = values.map { ($0 - mean) * ($0 - mean) }
        let std: Double = (squares.reduce(0, +) / count).squareRoot()
        return (error, mean, std)
    }

    @Test("DDIM and DPM-Solver++(2M) converge to the exact answer, mean and std as steps grow")
    func convergence() throws {
        // DDIM is first order: it needs far more steps than the second-order solver.
        let stepCounts: [SamplerKind: [Int]] = [.ddim: [5, 10, 20, 50, 100, 250, 1000], .dpmpp2m: [5, 10, 20, 50, 100]]
        // The samples' own mean and std (what a perfect sampler gives on these 4096 draws).
        let values: [Double] = Self.noise.scalars.map(Double.init)
        let count = Double(values.count)
        let noiseMean: Double = values.reduce(0, +) / count
        let squares: [Double] = values.map { ($0 - noiseMean) * ($0 - noiseMean) }
        let noiseStd: Double = (squares.reduce(0, +) / count).squareRoot()
        for kind in SamplerKind.allCases {
            let counts = stepCounts[kind] ?? []
            var errors: [Double] = []
            var finest = (mean: 0.0, std: 0.0)
            for steps in counts {
                let (error, mean, std) = try Self.run(kind.sampler, steps: steps)
                errors.append(error)
                finest = (mean, std)
            }
            print("\(kind): max errors \(errors) at steps \(counts), finest mean \(finest.mean) std \(finest.std)")
            for (coarse, fine) in zip(errors, errors.dropFirst()) {
                #expect(fine < coarse, "\(kind): errors \(errors) do not shrink with steps \(counts)")
            }
            #expect((errors.last ?? 1) < 1e-2, "\(kind): \(errors)")
            #expect(abs(finest.mean - (Self.mu + Self.s * noiseMean)) < 2e-3, "\(kind): mean \(finest.mean)")
            #expect(abs(finest.std - Self.s * noiseStd) < 2e-3, "\(kind): std \(finest.std)")
            #expect(abs(finest.mean - Self.mu) < 0.02 && abs(finest.std - Self.s) < 0.02, "\(kind)")
        }
        // Second order: 10 DPM-Solver++(2M) steps beat 20 DDIM steps.
        let dpm10 = try Self.run(DPMSolverSampler(), steps: 10).error
        let ddim20 = try Self.run(DDIMSampler(), steps: 20).error
        #expect(dpm10 < ddim20, "DPM-Solver++(2M) 10 steps \(dpm10), DDIM 20 steps \(ddim20)")
    }

    @Test("DPM-Solver++(2M) restores the kept pixels before every model call and reports progress")
    func inpaintingConstraint() throws {
        let known = Tensor(shape: [1, 1, 4, 4], repeating: 0.5)
        let mask = Tensor(shape: [1, 1, 4, 4], scalars: (0..<16).map { $0 < 8 ? 1 : 0 })
        var calls: [Int] = []
        var progress: [Int] = []
        _ = try DPMSolverSampler().sample(
            from: GaussianNoise.sample(shape: [1, 1, 4, 4], seed: 3),
            schedule: NoiseSchedule.diffDub.logSNRUniform(steps: 10),
            constraint: InpaintingConstraint(mask: mask, known: known),
            progress: { done, _ in progress.append(done) }
        ) { x, t in
            calls.append(t)
            #expect(Array(x.scalars.prefix(8)) == [Float](repeating: 0.5, count: 8))
            return Self.exactNoise(x, t)
        }
        let grid = try NoiseSchedule.diffDub.logSNRUniform(steps: 10).timesteps
        #expect(calls == grid.reversed())
        #expect(grid.first == 0 && grid.last == 999 && Set(grid).count == 10 && grid == grid.sorted())
        #expect(progress == Array(1...10))
    }

    @Test("log-SNR grid: distinct ascending timesteps for any count, bad counts throw")
    func logSNRGrid() throws {
        for steps in [1, 2, 3, 10, 20, 100, 500, 1000] {
            let grid = try NoiseSchedule.diffDub.logSNRUniform(steps: steps).timesteps
            #expect(grid.count == steps && Set(grid).count == steps && grid == grid.sorted())
            #expect(grid.last == 999 && (steps == 1 || grid.first == 0))
        }
        #expect(throws: DiffusionError.self) { try NoiseSchedule.diffDub.logSNRUniform(steps: 0) }
        #expect(throws: DiffusionError.self) { try NoiseSchedule.diffDub.logSNRUniform(steps: 1001) }
        // Any count works with DPM-Solver++(2M), unlike "ddimN".
        #expect(try DPMSolverSampler().schedule(.diffDub, steps: 37).count == 37)
        #expect(throws: DiffusionError.self) { try DDIMSampler().schedule(.diffDub, steps: 37) }
    }

    @Test("sampler names")
    func names() {
        #expect(SamplerKind(rawValue: "dpmpp2m") == .dpmpp2m)
        #expect(SamplerKind(rawValue: "ddim") == .ddim)
        #expect(SamplerKind.dpmpp2m.sampler is DPMSolverSampler)
    }
}
