/// The samplers a renderer can run, by the name the command line uses (`--sampler`).
public enum SamplerKind: String, CaseIterable, Sendable, Codable {
    /// `DDIMSampler` (eta 0, clipped `x0`), the original's sampler.
    case ddim
    /// `DPMSolverSampler`, DPM-Solver++(2M) on the same grid: 10 steps in place of DDIM's 20.
    case dpmpp2m

    /// A sampler of this kind with the original's clipping.
    package var sampler: any Sampler {
        switch self {
        case .ddim: DDIMSampler()
        case .dpmpp2m: DPMSolverSampler()
        }
    }
}
