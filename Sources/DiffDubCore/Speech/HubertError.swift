import Foundation

/// Something about a Hubert model or its input is unusable.
package enum HubertError: LocalizedError, CustomStringConvertible, Equatable {
    /// `config.json` describes a model this port does not run.
    case invalidConfiguration(String)
    /// The audio is too short to yield one feature frame.
    case audioTooShort(samples: Int, sampleRate: Int, minimumSamples: Int)
    /// The sample rate is not a positive number.
    case invalidSampleRate(Int)
    /// The input is not shaped as the model expects.
    case invalidInput(String)
    /// Converting `inputRate` to `outputRate` would need a filter bank of `coefficients`
    /// coefficients, more than `limit` (``BandLimitedResampler/maximumFilterCoefficients``).
    case unsupportedResampling(inputRate: Int, outputRate: Int, coefficients: Int, limit: Int)

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// One line saying what is wrong.
    package var description: String {
        switch self {
        case .invalidConfiguration(let message):
            "Hubert configuration: \(message)"
        case .audioTooShort(let samples, let rate, let minimum):
            "audio of \(samples) samples at \(rate) Hz is too short for Hubert "
                + "(needs at least \(minimum) samples at 16 kHz)"
        case .invalidSampleRate(let rate):
            "invalid sample rate \(rate) Hz"
        case .invalidInput(let message):
            "Hubert input: \(message)"
        case .unsupportedResampling(let input, let output, let coefficients, let limit):
            "cannot resample \(input) Hz to \(output) Hz: the filter would need \(coefficients) coefficients "
                + "(limit \(limit)); convert the audio to a common rate (16000, 44100, 48000 Hz) first"
        }
    }
}
