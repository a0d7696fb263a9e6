import Foundation

/// A sampling request the diffusion code cannot honour.
package enum DiffusionError: LocalizedError, CustomStringConvertible, Equatable {
    /// "ddimN" has no integer stride giving exactly `requested` steps out of `trainingSteps`;
    /// `below`/`above` are the nearest counts that work.
    case unsupportedStepCount(requested: Int, trainingSteps: Int, below: Int?, above: Int?)

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// One line saying what is wrong and what would work.
    package var description: String {
        switch self {
        case .unsupportedStepCount(let requested, let trainingSteps, let below, let above):
            let options = [below, above].compactMap { $0 }.map(String.init).joined(separator: " or ")
            return "cannot sample with \(requested) steps: no integer stride gives exactly \(requested) "
                + "of \(trainingSteps) timesteps (as the original's \"ddim\(requested)\")"
                + (options.isEmpty ? "" : "; nearest valid step counts: \(options)")
        }
    }
}
