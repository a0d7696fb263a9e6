import DiffDubCore
import Foundation
import Testing

/// ``RealFFT`` against a direct DFT.
@Suite struct RealFFTTests {
    @Test func powerSpectrumEqualsTheDirectTransform() {
        var generator = SplitMix64(seed: 3)
        for size in [2, 8, 64, 512] {
            let frame = (0..<size).map { _ in Double.random(in: -1000...1000, using: &generator) }
            var power = [Double](repeating: 0, count: size / 2 + 1)
            RealFFT(size: size).powerSpectrum(frame, into: &power)
            for k in 0...(size / 2) {
                var (re, im) = (0.0, 0.0)
                for n in 0..<size {
                    let angle = -2 * Double.pi * Double(k * n) / Double(size)
                    re += frame[n] * cos(angle)
                    im += frame[n] * sin(angle)
                }
                let direct = (re * re + im * im) / Double(size)
                #expect(abs(power[k] - direct) <= 1e-9 * max(1, direct), "size \(size) bin \(k)")
            }
        }
    }
}
