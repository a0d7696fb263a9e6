import DiffDubCore
import Foundation

/// The fast convolution path against the reference path on one released-size UNet call
/// (`diffdub-bench unet-accuracy [--batch B] [--timestep T]`): random released weights, the same
/// input once with ``Conv2dAlgorithm/automatic`` (Winograd F(4x4, 3x3) where it wins) and once
/// with every convolution on im2col (``Conv2dAlgorithm/automaticUsesWinograd`` bound to false). Prints the
/// max and mean absolute difference of eps and the magnitude of eps.
enum UNetAccuracyBenchmark {
    static func run(arguments: [String]) {
        var batch = 1
        var timestep: Float = 950
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--batch": batch = iterator.next().flatMap(Int.init) ?? batch
            case "--timestep": timestep = iterator.next().flatMap(Float.init) ?? timestep
            case "--heap", "--tuned": break
            case "--blas-threads", "--pool": _ = iterator.next()
            default:
                print("usage: diffdub-bench unet-accuracy [--batch B] [--timestep T]")
                return
            }
        }
        guard let renderer = UNetBenchmark.releasedRenderer() else { return }
        let s = renderer.imageSize
        let x = GaussianNoise.sample(shape: [batch, 6, s, s], seed: 2)
        let latents = GaussianNoise.sample(shape: [batch, renderer.configuration.unet.styleChannels], seed: 3)
        let timesteps = [Float](repeating: timestep, count: batch)
        let condition = renderer.unet.prepareCondition(latents)
        var clock = Date()
        let fast = renderer.unet(x, timesteps: timesteps, condition: condition)
        let fastSeconds = Date().timeIntervalSince(clock)
        clock = Date()
        let reference = Conv2dAlgorithm.$automaticUsesWinograd.withValue(false) {
            renderer.unet(x, timesteps: timesteps, condition: condition)
        }
        let referenceSeconds = Date().timeIntervalSince(clock)
        let (a, b) = (fast.scalars, reference.scalars)
        var maxDifference: Float = 0
        var sumDifference = 0.0
        var magnitude: Float = 0
        for i in a.indices {
            let d = abs(a[i] - b[i])
            maxDifference = max(maxDifference, d)
            sumDifference += Double(d)
            magnitude = max(magnitude, abs(b[i]))
        }
        print(
            String(
                format:
                    "UNet [%d, 6, %d, %d] at t = %.0f: fast path %.2f s, im2col path %.2f s; eps max |difference| %.3g, mean %.3g; max |eps| %.3g",
                batch, s, s, timestep, fastSeconds, referenceSeconds, maxDifference, sumDifference / Double(a.count),
                magnitude))
    }
}
