import DiffDubCore
import Foundation
import Testing

@Suite("Noise schedule and ddimN respacing")
struct NoiseScheduleTests {
    let schedule = NoiseSchedule.diffDub

    @Test("linear betas and alpha bar against a float64 product")
    func alphaBar() {
        #expect(schedule.trainingSteps == 1000)
        #expect(schedule.betas.first == 1e-4)
        #expect(schedule.betas.last == 0.02)
        for t in [0, 1, 49, 500, 949, 999] {
            let beta = { (s: Int) in 1e-4 + Double(s) * (0.02 - 1e-4) / 999 }
            let product = (0...t).reduce(1.0) { $0 * (1 - beta($1)) }
            #expect(abs(schedule.alphasCumulative[t] - product) < 1e-12 * max(product, 1e-30) + 1e-15)
        }
        // Known magnitude: abar at the last step of the DDPM linear schedule is about 4.04e-5.
        #expect(abs(schedule.alphasCumulative[999] - 4.0358e-5) < 1e-8)
    }

    @Test("ddim20 keeps 0, 50, ..., 950 (stride 50); ddim7 keeps multiples of 143")
    func respacing() throws {
        #expect(NoiseSchedule.respacingStride(steps: 20, trainingSteps: 1000) == 50)
        #expect(NoiseSchedule.respacingStride(steps: 7, trainingSteps: 1000) == 143)
        #expect(try schedule.respaced(steps: 20).timesteps == Array(stride(from: 0, to: 1000, by: 50)))
        #expect(try schedule.respaced(steps: 7).timesteps == [0, 143, 286, 429, 572, 715, 858])
        #expect(try schedule.respaced(steps: 1000).timesteps == Array(0..<1000))
        // The smallest stride wins: 2 steps is possible with strides 500..999, 500 is taken.
        #expect(try schedule.respaced(steps: 2).timesteps == [0, 500])
    }

    @Test("respaced alpha bar equals the full schedule's at the kept steps; previous of the first is 1")
    func respacedValues() throws {
        let spaced = try schedule.respaced(steps: 7)
        for (i, t) in spaced.timesteps.enumerated() {
            #expect(abs(spaced.alphasCumulative[i] - schedule.alphasCumulative[t]) < 1e-14)
        }
        #expect(spaced.alphasCumulativePrevious[0] == 1)
        #expect(spaced.alphasCumulativePrevious[3] == spaced.alphasCumulative[2])
    }

    @Test("step counts without an integer stride are rejected, naming the nearest valid counts")
    func rejected() throws {
        for steps in [1, 37, 41, 43, 0, 1001] {
            #expect(throws: DiffusionError.self) { try schedule.respaced(steps: steps) }
        }
        do {
            _ = try schedule.respaced(steps: 37)
            Issue.record("37 steps should be rejected")
        } catch let error as DiffusionError {
            #expect(error == .unsupportedStepCount(requested: 37, trainingSteps: 1000, below: 36, above: 38))
            #expect(error.description.contains("36 or 38"))
        }
        let valid = NoiseSchedule.validStepCounts(trainingSteps: 1000)
        #expect(valid.contains(20) && valid.contains(7) && !valid.contains(37) && !valid.contains(1))
        for n in valid { #expect(throws: Never.self) { try schedule.respaced(steps: n) } }
    }
}
