import DiffDubCore
import Foundation
import Testing

@Suite struct ResamplerLimitTests {
    @Test func absurdRatiosAreRefusedBeforeAllocating() {
        // 2147483647 Hz -> 16 kHz once asked for a 597 GB filter bank. The refusal names the
        // number of coefficients the bank would need, counted before any is allocated (an
        // allocation of that size would trap, not throw).
        for rate in [0x7FFF_FFFF, 10_000_001, Int.max, 383_999] {
            do {
                _ = try BandLimitedResampler(inputRate: rate, outputRate: 16_000)
                Issue.record("\(rate) Hz was accepted")
            } catch let error as HubertError {
                guard case .unsupportedResampling(let input, let output, let coefficients, let limit) = error else {
                    Issue.record("\(error)")
                    continue
                }
                #expect(input == rate && output == 16_000 && coefficients > limit)
                #expect(error.localizedDescription.contains("cannot resample \(rate) Hz to 16000 Hz"))
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func ordinaryAndOddRatesStillWork() throws {
        for rate in [8_000, 22_050, 44_100, 44_101, 48_000, 96_000, 384_000, 1_000, 1_001] {
            let resampler = try BandLimitedResampler(inputRate: rate, outputRate: 16_000)
            #expect(resampler.bank.count <= BandLimitedResampler.maximumFilterCoefficients)
            #expect(resampler([Float](repeating: 0.5, count: 100)).count == resampler.outputCount(forInputCount: 100))
        }
    }

    @Test func badDesignParametersAreErrorsNotTraps() {
        #expect(throws: HubertError.self) { try BandLimitedResampler(inputRate: 44_100, outputRate: 16_000, rolloff: 0) }
        #expect(throws: HubertError.self) { try BandLimitedResampler(inputRate: 44_100, outputRate: 16_000, zeroCrossings: 0) }
        #expect(throws: HubertError.self) { try BandLimitedResampler(inputRate: 44_100, outputRate: 16_000, rolloff: .nan) }
    }
}
