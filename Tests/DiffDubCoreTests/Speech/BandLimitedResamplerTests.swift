import DiffDubCore
import Foundation
import TestSupport
import Testing

/// The band-limited resampler: lengths, pass-band tones kept (frequency, amplitude, phase),
/// tones above the output Nyquist frequency removed.
@Suite struct BandLimitedResamplerTests {
    static let rates = [44100, 48000, 22050, 8000, 11025]

    func tone(frequency: Double, rate: Int, count: Int, amplitude: Double = 0.5) -> [Float] {
        (0..<count).map { Float(amplitude * sin(2 * Double.pi * frequency * Double($0) / Double(rate))) }
    }

    /// Least-squares amplitude of a sinusoid of `frequency` in `y` (16 kHz), and the RMS of
    /// what remains, over the middle of the signal (away from the zero-padded ends).
    func fit(_ y: [Float], frequency: Double) -> (amplitude: Double, phase: Double, residual: Double) {
        let range = 400..<(y.count - 400)
        var (ss, sc, cc, ys, yc) = (0.0, 0.0, 0.0, 0.0, 0.0)
        for i in range {
            let w = 2 * Double.pi * frequency * Double(i) / 16000
            let (s, c) = (sin(w), cos(w))
            ss += s * s
            sc += s * c
            cc += c * c
            ys += Double(y[i]) * s
            yc += Double(y[i]) * c
        }
        let det = ss * cc - sc * sc
        let a = (ys * cc - yc * sc) / det
        let b = (yc * ss - ys * sc) / det
        var residual = 0.0
        for i in range {
            let w = 2 * Double.pi * frequency * Double(i) / 16000
            let r = Double(y[i]) - a * sin(w) - b * cos(w)
            residual += r * r
        }
        return ((a * a + b * b).squareRoot(), atan2(b, a), (residual / Double(range.count)).squareRoot())
    }

    @Test(arguments: rates)
    func lengthIsRoundedRatio(rate: Int) throws {
        let resampler = try BandLimitedResampler(inputRate: rate, outputRate: 16000)
        for n in [0, 1, 7, 999, 44101, 48000] {
            let expected = Int((Double(n) * 16000 / Double(rate)).rounded(.toNearestOrAwayFromZero))
            #expect(resampler(Array(repeating: 0.1, count: n)).count == expected, "\(n) samples at \(rate) Hz")
        }
    }

    @Test(arguments: rates)
    func passBandTonesAreKept(rate: Int) throws {
        let resampler = try BandLimitedResampler(inputRate: rate, outputRate: 16000)
        for frequency in [440.0, 1000, 3000] {
            let y = resampler(tone(frequency: frequency, rate: rate, count: rate))
            let (amplitude, phase, residual) = fit(y, frequency: frequency)
            #expect(abs(amplitude - 0.5) < 2e-3, "\(frequency) Hz from \(rate) Hz: amplitude \(amplitude)")
            #expect(residual < 1e-3, "\(frequency) Hz from \(rate) Hz: residual \(residual)")
            // A pure sine at the same time origin: no delay (a delay of d seconds would show
            // as a phase of 2 pi f d).
            #expect(abs(phase) < 1e-3, "\(frequency) Hz from \(rate) Hz: phase \(phase)")
        }
    }

    @Test(arguments: [44100, 48000, 22050])
    func tonesAboveEightKilohertzAreRemoved(rate: Int) throws {
        let resampler = try BandLimitedResampler(inputRate: rate, outputRate: 16000)
        for frequency in [8600.0, 10000, 10500] where frequency < Double(rate) / 2 {
            let y = resampler(tone(frequency: frequency, rate: rate, count: rate))
            let middle = y[400..<(y.count - 400)]
            let rms = (middle.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(middle.count)).squareRoot()
            // Input RMS is 0.354; 60 dB down is 3.5e-4 (a linear interpolator leaves ~0.1).
            #expect(rms < 3.5e-4, "\(frequency) Hz from \(rate) Hz leaves RMS \(rms)")
        }
    }

    @Test func equalRatesAreIdentityAndBadRatesThrow() throws {
        let x: [Float] = [0.25, -1, 0.5]
        let identity = try BandLimitedResampler(inputRate: 16000, outputRate: 16000)
        #expect(identity(x) == x)
        #expect(throws: HubertError.invalidSampleRate(0)) { try BandLimitedResampler(inputRate: 0, outputRate: 16000) }
    }
}
