import DiffDubCore
import Foundation

/// The fast convolution path against the reference path on one released-size UNet call
/// (`diffdub-bench unet-accuracy [--batch B] [--timestep T]`): random released weights, the same
/// input once with ``Conv2dAlgorithm/automatic`` (Winograd F(4x4, 3x3) where it wins) and once
/// with every convolution on im2col (``KernelSettings/automaticUsesWinograd`` false). Prints the
/// max and mean absolute difference of eps and the magnitude of eps. With `--precision bf16` the
/// fast path runs its large products in bfloat16 (``Precision/bf16``); `--layers` instead
/// compares each Winograd tile size, in fp32 and bf16, against im2col on the UNet's 3x3 layer
/// shapes (Gaussian weights of PyTorch's default scale, inputs SiLU of N(0, 1)).
enum UNetAccuracyBenchmark {
    static func run(arguments: [String]) {
        var batch = 1
        var timestep: Float = 950
        var precision = Precision.fp32
        var bf16Tile = KernelSettings.standard.largestWinogradTileBF16
        var schedule = KernelSettings.standard.winogradSchedule
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--batch": batch = iterator.next().flatMap(Int.init) ?? batch
            case "--timestep": timestep = iterator.next().flatMap(Float.init) ?? timestep
            case "--bf16-tile": bf16Tile = iterator.next().flatMap(Int.init) ?? bf16Tile
            case "--precision": precision = iterator.next().flatMap(Precision.init(rawValue:)) ?? precision
            case "--schedule":
                schedule = iterator.next().flatMap(Conv2dTiling.WinogradSchedule.init(rawValue:)) ?? schedule
            case "--layers":
                layers()
                return
            case "--heap", "--tuned": break
            case "--blas-threads", "--pool": _ = iterator.next()
            default:
                print(
                    "usage: diffdub-bench unet-accuracy [--batch B] [--timestep T] [--precision fp32|bf16] [--bf16-tile 2|4|6] [--schedule automatic|bands|tiles] | --layers"
                )
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
        let fast = renderer.unet(
            x, timesteps: timesteps, condition: condition,
            kernels: KernelSettings(precision: precision, largestWinogradTileBF16: bf16Tile, winogradSchedule: schedule))
        let fastSeconds = Date().timeIntervalSince(clock)
        clock = Date()
        let reference = renderer.unet(
            x, timesteps: timesteps, condition: condition, kernels: KernelSettings(automaticUsesWinograd: false))
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
                    "UNet [%d, 6, %d, %d] at t = %.0f: fast path (%@) %.2f s, im2col path (fp32) %.2f s; eps max |difference| %.3g, mean %.3g; max |eps| %.3g",
                batch, s, s, timestep, precision.rawValue + (precision.runsNatively ? "" : " (emulated)"), fastSeconds, referenceSeconds, maxDifference, sumDifference / Double(a.count),
                magnitude))
    }

    /// Each Winograd tile size in fp32 and bf16 against im2col (fp32) on the released UNet's 3x3
    /// layer shapes: max and mean |difference| relative to the output's RMS.
    static func layers() {
        let shapes: [(c: Int, o: Int, side: Int)] = [(128, 128, 256), (256, 256, 64), (256, 256, 32), (512, 512, 16)]
        print("layer (C -> O at side^2): algorithm precision: max |diff| / rms, mean |diff| / rms")
        for (index, shape) in shapes.enumerated() {
            // PyTorch's default initialisation has standard deviation 1 / sqrt(3 * 9 C).
            let w =
                GaussianNoise.sample(shape: [shape.o, shape.c, 3, 3], seed: UInt64(40 + index))
                * (1 / Float(27 * shape.c).squareRoot())
            let x = silu(GaussianNoise.sample(shape: [1, shape.c, shape.side, shape.side], seed: UInt64(50 + index)))
            let reference = conv2d(x, weight: w, bias: nil, padding: 1, algorithm: .im2col)
            let rms = (reference.scalars.reduce(0.0) { $0 + Double($1 * $1) } / Double(reference.count)).squareRoot()
            for algorithm in [Conv2dAlgorithm.winograd, .winograd4x4, .winograd6x6] {
                for precision in Precision.allCases {
                    let y = conv2d(
                        x, weight: w, bias: nil, padding: 1, algorithm: algorithm,
                        kernels: KernelSettings(precision: precision))
                    var (worst, sum) = (Float(0), 0.0)
                    for (a, b) in zip(y.scalars, reference.scalars) {
                        worst = max(worst, abs(a - b))
                        sum += Double(abs(a - b))
                    }
                    print(
                        String(
                            format: "%4d -> %4d at %3d^2: %@ %@: %.3g, %.3g", shape.c, shape.o, shape.side,
                            "\(algorithm)", precision.rawValue, Double(worst) / rms, sum / Double(y.count) / rms))
                }
            }
        }
    }
}
