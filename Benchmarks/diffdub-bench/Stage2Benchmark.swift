import DiffDubCore
import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Stage 2 at the released size (random weights): 10 s of speech (T = 500 Hubert frames,
/// 25 x 1024) against 75 reference latents, as the original's demo runs it.
///
/// Usage: `swift run -c release diffdub-bench stage2 [T] [R]`. Prints the wall-clock seconds of
/// the whole prediction (reference encoding included), the best and the median of 5 runs after
/// one warm-up run, the process CPU seconds per run (a load-independent figure on a shared
/// machine: about threads x wall time when the cores are free), and the share of the
/// reference encoding.
enum Stage2Benchmark {
    static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst(2))) {
        let numbers = arguments.compactMap { Int($0) }
        let frames = numbers.first ?? 500
        let referenceCount = numbers.dropFirst().first ?? 75
        let configuration = LipLatentPredictorConfiguration.released

        let buildStart = DispatchTime.now()
        let predictor: LipLatentPredictor
        do {
            predictor = try LipLatentPredictor(WeightBinder(randomSeed: 1), configuration: configuration)
        } catch {
            print("stage2: cannot build the predictor: \(error)")
            return
        }
        let buildSeconds = seconds(since: buildStart)

        var generator = BenchmarkGenerator(state: 42)
        let hubert = generator.tensor([configuration.hubertLayers, frames, configuration.audioWidth])
        let reference = generator.tensor([referenceCount, configuration.latentWidth])

        func timed(_ body: () throws -> Tensor) -> Double {
            let start = DispatchTime.now()
            _ = try? body()
            return seconds(since: start)
        }
        _ = timed { try predictor.predict(hubert: hubert, reference: reference) }
        let cpuStart = processCPUSeconds()
        let full = (0..<5).map { _ in timed { try predictor.predict(hubert: hubert, reference: reference) } }.sorted()
        let cpuPerRun = (processCPUSeconds() - cpuStart) / 5
        let referenceOnly = (0..<5).map { _ in timed { try predictor.encodeReference(reference).latents } }.sorted()

        print(
            "stage2 released size (audio \(configuration.audioWidth), latent \(configuration.latentWidth)), T = \(frames) (\(Double(frames) / 50) s of speech), R = \(referenceCount), \(Parallelism.threadCount) threads"
        )
        print(String(format: "  build from random weights: %.2f s", buildSeconds))
        print(
            String(
                format: "  predict: best %.3f s, median %.3f s (5 runs), %.3f CPU s per run", full[0], full[2],
                cpuPerRun))
        print(String(format: "  of which reference encoding: median %.3f s", referenceOnly[2]))
        let peak = BenchmarkSupport.peakResidentMB()
        print("  " + BenchmarkSupport.machineLine().line)
        print(String(format: "  peak resident memory %.0f MB (before the sgemm measurement)", peak))
    }

    private static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}

/// Uniform random inputs in [-1, 1) (SplitMix64), reproducible between runs.
private struct BenchmarkGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func tensor(_ shape: [Int]) -> Tensor {
        let count = Tensor.elementCount(of: shape)
        var scalars = [Float](repeating: 0, count: count)
        for i in 0..<count { scalars[i] = Float(next() >> 40) / Float(1 << 23) - 1 }
        return Tensor(shape: shape, scalars: scalars)
    }
}
