/// A band-limited sample-rate converter: a polyphase windowed-sinc filter (Kaiser window)
/// for the exact rational ratio `outputRate / inputRate`, as in the classic
/// Smith / libsamplerate "sinc" design and scipy's `resample_poly`.
///
/// Design (defaults): low-pass cutoff at 0.92 of the lower of the two Nyquist frequencies
/// (7.36 kHz when converting to 16 kHz), 32 zero crossings of the sinc on each side of the
/// centre, Kaiser window with beta 8.0 (about 80 dB stop-band attenuation, transition band
/// ending just below the output Nyquist frequency), so a tone above 8 kHz in 44.1 kHz input
/// is removed instead of folding back into the speech band. Unit DC gain. The ends are
/// padded with zeros. The output has `round(n * outputRate / inputRate)` samples and sample
/// `m` sits at input time `m * inputRate / outputRate` (no delay).
package struct BandLimitedResampler: Sendable {
    /// Input sample rate in Hz.
    package let inputRate: Int
    /// Output sample rate in Hz.
    package let outputRate: Int
    /// Interpolation factor `outputRate / gcd`.
    package let up: Int
    /// Decimation factor `inputRate / gcd`.
    package let down: Int
    /// The polyphase filter bank `[up, taps]` (empty when the rates are equal).
    package let bank: Tensor

    /// Most coefficients of a polyphase filter bank (`up x taps`): 2^24, 64 MB, about two
    /// seconds to compute. Ordinary rates need far less (44.1 kHz to 16 kHz: 30,880; an odd
    /// rate such as 44,101 Hz: 3.1 million).
    package static let maximumFilterCoefficients = 1 << 24

    /// A converter from `inputRate` to `outputRate`.
    ///
    /// - Parameters:
    ///   - rolloff: cutoff as a fraction of the lower Nyquist frequency.
    ///   - zeroCrossings: sinc zero crossings on each side of the centre (filter length).
    ///   - beta: Kaiser window shape (larger: more attenuation, wider transition).
    /// - Throws: ``HubertError/invalidSampleRate(_:)`` for a non-positive rate,
    ///   ``HubertError/unsupportedResampling(inputRate:outputRate:coefficients:limit:)`` when the
    ///   filter bank would need more than ``maximumFilterCoefficients`` coefficients (an absurd
    ///   ratio such as 2147483647 Hz to 16 kHz, whose bank would take 597 GB). Checked before
    ///   anything is allocated.
    package init(
        inputRate: Int, outputRate: Int, rolloff: Double = 0.92, zeroCrossings: Int = 32,
        beta: Double = 8.0
    ) throws {
        guard inputRate > 0 else { throw HubertError.invalidSampleRate(inputRate) }
        guard outputRate > 0 else { throw HubertError.invalidSampleRate(outputRate) }
        guard rolloff > 0, rolloff <= 1, zeroCrossings >= 1, beta >= 0 else {
            throw HubertError.invalidInput(
                "resampler rolloff \(rolloff) (0 < rolloff <= 1), zeroCrossings \(zeroCrossings) (>= 1), beta \(beta) (>= 0)")
        }
        var a = inputRate
        var b = outputRate
        while b != 0 { (a, b) = (b, a % b) }
        self.inputRate = inputRate
        self.outputRate = outputRate
        self.up = outputRate / a
        self.down = inputRate / a
        if inputRate == outputRate {
            bank = Tensor(zeros: [1, 0])
        } else {
            // Cutoff in cycles per input sample; the sinc's zero crossings are 1 / (2 f)
            // input samples apart.
            let cutoff = rolloff * 0.5 * Double(min(inputRate, outputRate)) / Double(inputRate)
            let width = (Double(max(zeroCrossings, 1)) / (2 * cutoff)).rounded(.up)
            let coefficients = Double(up) * 2 * width
            guard cutoff > 0, width.isFinite, coefficients <= Double(Self.maximumFilterCoefficients) else {
                throw HubertError.unsupportedResampling(
                    inputRate: inputRate, outputRate: outputRate,
                    coefficients: coefficients < 0x1p62 ? Int(coefficients) : Int.max,
                    limit: Self.maximumFilterCoefficients)
            }
            let halfWidth = Int(width)
            bank = kaiserSincPolyphaseBank(up: up, cutoff: cutoff, halfWidth: halfWidth, beta: beta)
        }
    }

    /// Number of output samples for `inputCount` input samples:
    /// `round(inputCount * outputRate / inputRate)` (halves rounded up).
    package func outputCount(forInputCount inputCount: Int) -> Int {
        (2 * inputCount * up + down) / (2 * down)
    }

    /// Resamples `samples`.
    package func callAsFunction(_ samples: [Float]) -> [Float] {
        guard inputRate != outputRate else { return samples }
        let input = Tensor(shape: [samples.count], scalars: samples)
        return polyphaseResample(
            input, bank: bank, up: up, down: down,
            outputCount: outputCount(forInputCount: samples.count)
        ).scalars
    }
}
