import DiffDubCore
import Foundation

/// One stage-1 UNet call at the released size (`diffdub-bench unet [--runs R] [--batch B]`).
///
/// Builds the released configuration with random weights (`Renderer(WeightBinder(randomSeed:), configuration:)`), then times
/// `UNet(x [B, 6, 256, 256], t, cond)` with the condition prepared once, as the sampler
/// does. Prints seconds per call (best of R after a warm-up call, which also transforms the
/// Winograd weights once), CPU seconds, the effective rate at 555 GFLOP per image (direct
/// convolution FLOPs), the sgemm rate measured just before and after each call and the ratio of
/// the two (the figure that stays put while a shared machine's speed drifts), one semantic
/// encoder call (71 GFLOP), the peak resident memory and the load average.
enum UNetBenchmark {
    /// FLOPs of one UNet call on one 256 x 256 image (multiply-adds counted twice).
    static let unetGFLOP = 555.0
    /// FLOPs of one semantic-encoder call on one 256 x 256 image.
    static let encoderGFLOP = 71.0

    static func run(arguments: [String]) {
        var runs = 3
        var batch = 1
        var precision = Precision.fp32
        var bf16Tile = KernelSettings.standard.largestWinogradTileBF16
        var tile = KernelSettings.standard.largestWinogradTile
        var schedule = KernelSettings.standard.winogradSchedule
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--runs": runs = iterator.next().flatMap(Int.init) ?? runs
            case "--batch": batch = iterator.next().flatMap(Int.init) ?? batch
            case "--precision": precision = iterator.next().flatMap(Precision.init(rawValue:)) ?? precision
            case "--bf16-tile": bf16Tile = iterator.next().flatMap(Int.init) ?? bf16Tile
            case "--tile": tile = iterator.next().flatMap(Int.init) ?? tile
            case "--schedule":
                schedule = iterator.next().flatMap(Conv2dTiling.WinogradSchedule.init(rawValue:)) ?? schedule
            case "--heap", "--tuned": break
            case "--blas-threads", "--pool": _ = iterator.next()
            default:
                print(
                    "usage: diffdub-bench unet [--runs R] [--batch B] [--precision fp32|bf16] [--bf16-tile 2|4|6] [--tile 2|4|6] [--schedule automatic|bands|tiles]"
                )
                return
            }
        }
        guard let renderer = releasedRenderer() else { return }
        let s = renderer.imageSize
        let x = GaussianNoise.sample(shape: [batch, 6, s, s], seed: 2)
        let latents = GaussianNoise.sample(shape: [batch, renderer.configuration.unet.styleChannels], seed: 3)
        let timesteps = [Float](repeating: 950, count: batch)
        let condition = renderer.unet.prepareCondition(latents)

        print(
            "precision: \(precision.rawValue) (\(precision.runsNatively ? "native" : "emulated")); fp32 Winograd tiles up to F(\(tile)x\(tile)), schedule \(schedule.rawValue); bf16 Winograd tiles up to F(\(bf16Tile)x\(bf16Tile))"
        )
        let kernels = KernelSettings(
            precision: precision, largestWinogradTile: tile, largestWinogradTileBF16: bf16Tile, winogradSchedule: schedule)
        var times: [Double] = []
        var cpuTimes: [Double] = []
        var ratios: [Double] = []
        var probe = BenchmarkSupport.sgemmProbe()
        for run in 0...runs {
            let clock = Date()
            let cpuStart = BenchmarkSupport.cpuSeconds()
            let eps = renderer.unet(x, timesteps: timesteps, condition: condition, kernels: kernels)
            let seconds = Date().timeIntervalSince(clock)
            let cpu = BenchmarkSupport.cpuSeconds() - cpuStart
            precondition(eps.shape == [batch, 3, s, s])
            // The machine's rate around this call: the mean of the probes just before and after.
            let nextProbe = BenchmarkSupport.sgemmProbe()
            let sgemmAround = (probe + nextProbe) / 2
            probe = nextProbe
            let ratio = unetGFLOP * Double(batch) / seconds / sgemmAround
            print(
                String(
                    format: "unet call %d%@: %.2f s wall, %.2f s CPU, sgemm around it %.1f GFLOP/s, ratio %.2f", run,
                    run == 0 ? " (warm-up)" : "", seconds, cpu, sgemmAround, ratio))
            if run > 0 {
                times.append(seconds)
                cpuTimes.append(cpu)
                ratios.append(ratio)
            }
        }
        let best = times.min() ?? .nan
        let effective = unetGFLOP * Double(batch) / best
        // Includes the sgemm probes' three 16 MB matrices (freed blocks the model may reuse).
        let peak = BenchmarkSupport.peakResidentMB()
        let machine = BenchmarkSupport.machineLine()
        print(machine.line)
        print(
            String(
                format:
                    "UNet [%d, 6, %d, %d]: best %.2f s per call (%.2f s per image, %.2f s CPU), effective %.1f GFLOP/s, sgemm %.1f GFLOP/s, ratio %.2f (median of the per-call ratios %.2f)",
                batch, s, s, best, best / Double(batch), cpuTimes.min() ?? .nan, effective, machine.sgemm,
                effective / machine.sgemm, BenchmarkSupport.median(ratios)))

        let images = GaussianNoise.sample(shape: [1, 3, s, s], seed: 4)
        _ = renderer.encoder(images, kernels: .standard)
        var encoderBest = Double.infinity
        for _ in 0..<max(1, runs) {
            let clock = Date()
            _ = renderer.encoder(images, kernels: .standard)
            encoderBest = min(encoderBest, Date().timeIntervalSince(clock))
        }
        print(
            String(
                format: "semantic encoder [1, 3, %d, %d]: best %.2f s, effective %.1f GFLOP/s", s, s, encoderBest,
                encoderGFLOP / encoderBest))
        print(String(format: "peak resident memory %.0f MB (model calls and the sgemm probes)", peak))

    }

    /// Parameter counts of a renderer state dict, UNet (all but `encoder.*`) and encoder, in
    /// the format of `Benchmarks/pytorch/unet_benchmark.py` so the two can be compared.
    static func parameterLine(_ weights: StateDict) -> String {
        let encoder = weights.records.filter { $0.key.hasPrefix("encoder.") }.values
            .reduce(0) { $0 + $1.elementCount }
        let unet = weights.floatParameterCount - encoder
        return String(
            format: "parameters: UNet %d (%.2f M), encoder %d (%.2f M), total %d", unet, Double(unet) / 1e6, encoder,
            Double(encoder) / 1e6, unet + encoder)
    }

    /// The released model with random weights, or `nil` after printing why not.
    static func releasedRenderer() -> Renderer? {
        let clock = Date()
        do {
            let weights = WeightBinder(randomSeed: 1)
            let renderer = try Renderer(weights, configuration: .released)
            print(parameterLine(weights.boundStateDict))
            print(
                String(
                    format: "released model with random weights built in %.1f s, peak resident memory so far %.0f MB",
                    Date().timeIntervalSince(clock), BenchmarkSupport.peakResidentMB()))
            return renderer
        } catch {
            print("cannot build the released model: \(error)")
            return nil
        }
    }
}
