import COpenBLAS
import DiffDubCore
import Foundation

/// One stage-1 UNet call at the released size (`diffdub-bench unet [--runs R] [--batch B]`).
///
/// Builds the released configuration with random weights (``RendererWeights``), then times
/// `UNet(x [B, 6, 256, 256], t, cond)` with the condition prepared once, as the sampler
/// does. Prints seconds per call, the effective rate at 555 GFLOP per image, one semantic
/// encoder call (71 GFLOP), and `cblas_sgemm` GFLOP/s measured in the same run, so the
/// figures can be read against what the machine's BLAS does at that moment.
enum UNetBenchmark {
    /// FLOPs of one UNet call on one 256 x 256 image (multiply-adds counted twice).
    static let unetGFLOP = 555.0
    /// FLOPs of one semantic-encoder call on one 256 x 256 image.
    static let encoderGFLOP = 71.0

    static func run(arguments: [String]) {
        var runs = 3
        var batch = 1
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--runs": runs = iterator.next().flatMap(Int.init) ?? runs
            case "--batch": batch = iterator.next().flatMap(Int.init) ?? batch
            case "--heap": break
            default:
                print("usage: diffdub-bench unet [--runs R] [--batch B]")
                return
            }
        }
        print(
            "OpenBLAS: \(BLAS.configuration), \(BLAS.threadCount) BLAS threads, \(Parallelism.threadCount) kernel threads"
        )
        let sgemm = sgemmRates()
        print(
            String(
                format: "sgemm 2048^3: %.1f GFLOP/s, 128 x 65536 x 1152: %.1f GFLOP/s", sgemm.square, sgemm.convShaped))

        var clock = Date()
        let renderer: Renderer
        do {
            renderer = try Renderer(stateDict: RendererWeights.random(configuration: .released, seed: 1), prefix: "")
        } catch {
            print("cannot build the released model: \(error)")
            return
        }
        print(String(format: "released model with random weights built in %.1f s", Date().timeIntervalSince(clock)))

        let s = renderer.imageSize
        let x = GaussianNoise.sample(shape: [batch, 6, s, s], seed: 2)
        let latents = GaussianNoise.sample(shape: [batch, renderer.configuration.unet.styleChannels], seed: 3)
        let timesteps = [Float](repeating: 950, count: batch)
        clock = Date()
        let condition = renderer.unet.prepareCondition(latents)
        print(String(format: "condition prepared in %.3f s (once per render)", Date().timeIntervalSince(clock)))

        var times: [Double] = []
        for run in 0...runs {
            clock = Date()
            let cpuStart = processCPUSeconds()
            let eps = renderer.unet(x, timesteps: timesteps, condition: condition)
            let seconds = Date().timeIntervalSince(clock)
            let cpu = processCPUSeconds() - cpuStart
            precondition(eps.shape == [batch, 3, s, s])
            print(
                String(
                    format: "unet call %d%@: %.2f s wall, %.2f s CPU over all threads", run,
                    run == 0 ? " (warm-up)" : "",
                    seconds, cpu))
            if run > 0 { times.append(seconds) }
        }
        let best = times.min() ?? .nan
        let mean = times.reduce(0, +) / Double(max(times.count, 1))
        print(
            String(
                format:
                    "UNet [%d, 6, %d, %d]: best %.2f s, mean %.2f s per call = %.2f s per image, effective %.1f GFLOP/s (%.0f GFLOP per image)",
                batch, s, s, best, mean, best / Double(batch), unetGFLOP * Double(batch) / best, unetGFLOP))

        let images = GaussianNoise.sample(shape: [1, 3, s, s], seed: 4)
        _ = renderer.encoder(images)
        clock = Date()
        _ = renderer.encoder(images)
        let encoderSeconds = Date().timeIntervalSince(clock)
        print(
            String(
                format: "semantic encoder [1, 3, %d, %d]: %.2f s, effective %.1f GFLOP/s", s, s, encoderSeconds,
                encoderGFLOP / encoderSeconds))
    }

    /// CPU time of the process (all threads), in seconds: steadier than wall time when other
    /// processes share the cores.
    static func processCPUSeconds() -> Double {
        var usage = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &usage)
        return Double(usage.tv_sec) + Double(usage.tv_nsec) / 1e9
    }

    /// Best-of-4 `cblas_sgemm` rates (GFLOP/s) at 2048^3 and at the shape of a 128-channel
    /// 3x3 convolution on 256 x 256 as one product.
    static func sgemmRates() -> (square: Double, convShaped: Double) {
        func rate(_ m: Int, _ n: Int, _ k: Int) -> Double {
            let a = [Float](repeating: 0.5, count: m * k)
            let b = [Float](repeating: 0.25, count: k * n)
            var c = [Float](repeating: 0, count: m * n)
            var best = Double.infinity
            for _ in 0..<4 {
                let start = Date()
                c.withUnsafeMutableBufferPointer { c in
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b,
                        Int32(n), 0, c.baseAddress, Int32(n))
                }
                best = min(best, Date().timeIntervalSince(start))
            }
            return 2 * Double(m) * Double(n) * Double(k) / best / 1e9
        }
        return (rate(2048, 2048, 2048), rate(128, 65536, 1152))
    }
}
