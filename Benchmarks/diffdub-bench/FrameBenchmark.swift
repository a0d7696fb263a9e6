import DiffDubCore
import Foundation

/// A full render at the released size (`diffdub-bench frame [--steps N] [--sampler S] [--batch B]
/// [--runs R]`): after one warm-up UNet call, `Renderer.render` of B frames at 256 x 256 with random weights and inputs (mask
/// keeping the upper half), N steps of the sampler (default DDIM, 20). Prints seconds per
/// frame, CPU seconds, the median and fastest step, the effective rate (N x 555 GFLOP per frame /
/// time), the sgemm rate measured just before and after each render and the ratio of the two,
/// the peak resident memory and the load average.
enum FrameBenchmark {
    static func run(arguments: [String]) {
        var steps = 20
        var batch = 1
        var runs = 1
        var sampler = SamplerKind.ddim
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--steps": steps = iterator.next().flatMap(Int.init) ?? steps
            case "--batch": batch = iterator.next().flatMap(Int.init) ?? batch
            case "--runs": runs = iterator.next().flatMap(Int.init) ?? runs
            case "--sampler": sampler = iterator.next().flatMap(SamplerKind.init(rawValue:)) ?? sampler
            case "--heap", "--tuned": break
            case "--blas-threads", "--pool": _ = iterator.next()
            default:
                print("usage: diffdub-bench frame [--steps N] [--sampler ddim|dpmpp2m] [--batch B] [--runs R]")
                return
            }
        }
        guard let renderer = UNetBenchmark.releasedRenderer() else { return }
        let s = renderer.imageSize
        let frames = GaussianNoise.sample(shape: [batch, 3, s, s], seed: 5)
        let reference = GaussianNoise.sample(shape: [1, 3, s, s], seed: 6)
        let masks = Tensor(shape: [1, 1, s, s], scalars: (0..<(s * s)).map { $0 < s * s / 2 ? 1 : 0 })
        let latents = GaussianNoise.sample(shape: [batch, renderer.configuration.unet.styleChannels], seed: 7)
        let noise = GaussianNoise.sample(shape: [1, 3, s, s], seed: 8)
        // One UNet call first, as a dubbing job's first frame does: it transforms the Winograd
        // weights once and fills the buffer pool, so the renders below are the steady state.
        let warmUp = Date()
        _ = renderer.unet(
            GaussianNoise.sample(shape: [batch, 6, s, s], seed: 9), timesteps: Array(repeating: 950, count: batch),
            condition: renderer.unet.prepareCondition(latents), kernels: .standard)
        print(String(format: "warm-up UNet call: %.1f s", Date().timeIntervalSince(warmUp)))
        var best = Double.infinity
        var bestCPU = Double.infinity
        var ratios: [Double] = []
        var probe = BenchmarkSupport.sgemmProbe()
        for run in 0..<max(1, runs) {
            let clock = Date()
            let cpuStart = BenchmarkSupport.cpuSeconds()
            var stepEnds: [Date] = []
            do {
                let out = try renderer.render(
                    frames: frames, reference: reference, masks: masks, latents: latents, noise: noise, steps: steps,
                    sampler: sampler.sampler, progress: { _, _ in stepEnds.append(Date()) })
                precondition(out.shape == [batch, 3, s, s])
            } catch {
                print("render failed: \(error)")
                return
            }
            let seconds = Date().timeIntervalSince(clock)
            let cpu = BenchmarkSupport.cpuSeconds() - cpuStart
            let nextProbe = BenchmarkSupport.sgemmProbe()
            let sgemmAround = (probe + nextProbe) / 2
            probe = nextProbe
            let ratio = Double(steps) * UNetBenchmark.unetGFLOP * Double(batch) / seconds / sgemmAround
            let stepSeconds = zip(stepEnds.dropFirst(), stepEnds).map { $0.timeIntervalSince($1) }
            print(
                String(
                    format:
                        "render %d: %.1f s wall, %.1f s CPU; steps after the first: median %.2f s, fastest %.2f s; sgemm around it %.1f GFLOP/s, ratio %.2f",
                    run, seconds, cpu, BenchmarkSupport.median(stepSeconds), stepSeconds.min() ?? .nan, sgemmAround,
                    ratio))
            best = min(best, seconds)
            bestCPU = min(bestCPU, cpu)
            ratios.append(ratio)
        }
        let peak = BenchmarkSupport.peakResidentMB()
        let machine = BenchmarkSupport.machineLine()
        print(machine.line)
        let perFrame = best / Double(batch)
        let effective = Double(steps) * UNetBenchmark.unetGFLOP / perFrame
        print(
            String(
                format:
                    "%@ %d steps, batch %d: %.1f s per frame (%.1f s CPU per frame), effective %.1f GFLOP/s, sgemm %.1f GFLOP/s, ratio %.2f (median of the per-render ratios %.2f)",
                sampler.rawValue, steps, batch, perFrame, bestCPU / Double(batch), effective, machine.sgemm,
                effective / machine.sgemm, BenchmarkSupport.median(ratios)))
        print(String(format: "peak resident memory %.0f MB (the render and the sgemm probes)", peak))

    }
}
