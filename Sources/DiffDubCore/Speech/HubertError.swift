/// Something about a Hubert model or its input is unusable.
public enum HubertError: Error, CustomStringConvertible, Equatable {
    /// `config.json` describes a model this port does not run.
    case invalidConfiguration(String)
    /// The audio is too short to yield one feature frame.
    case audioTooShort(samples: Int, sampleRate: Int, minimumSamples: Int)
    /// The sample rate is not a positive number.
    case invalidSampleRate(Int)
    /// The input is not shaped as the model expects.
    case invalidInput(String)

    /// One line saying what is wrong.
    public var description: String {
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
        }
    }
}
