import DiffDubCore
import Foundation

/// im2col against Winograd on the 3x3 convolution shapes of the stage-1 UNet
/// (`diffdub-bench convshapes`), to choose ``Conv2dAlgorithm/automatic``'s rule.
///
/// Prints the best wall time and the best process CPU time of several calls per algorithm (the
/// latter is steadier on a shared machine), the algorithms taking turns call by call.
enum ConvShapesBenchmark {
    static func cpuSeconds() -> Double {
        var usage = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &usage)
        return Double(usage.tv_sec) + Double(usage.tv_nsec) / 1e9
    }

    /// `singleThreaded` runs BLAS and ``parallelFor(_:minimumChunk:_:)`` on one thread, so the CPU
    /// time measures the work alone even when other processes load the machine. A non-empty
    /// `algorithms` (names such as `winograd6x6`) or `sizes` (output sides) restricts the runs;
    /// `rounds` is the least number of calls per algorithm (small shapes get up to twice as many).
    /// `tuned` keeps the run's buffer pool (reused output blocks: no page faults on each call's
    /// output, as in a model run); without it the calls run with no pool. Each Winograd algorithm
    /// runs once per schedule of `schedules` (``Conv2dTiling/WinogradSchedule``; default: the
    /// automatic one only), named `algorithm/schedule`; `precision` is the products' (bf16 runs
    /// the bfloat16 kernel where the CPU has it).
    static func run(
        singleThreaded: Bool = false, columnBufferMiB: Int? = nil, algorithms: Set<String> = [], sizes: Set<Int> = [],
        rounds: Int = 5, tuned: Bool = false, schedules: [Conv2dTiling.WinogradSchedule] = [.automatic],
        precision: Precision = .fp32
    ) {
        let settings = ComputeSettings(
            threads: singleThreaded ? 1 : Parallelism.threadCount, bufferPoolBytes: tuned ? ComputeSettings.defaultBufferPoolBytes : 0)
        settings.run {
            measure(
                columnBufferMiB: columnBufferMiB, algorithms: algorithms, sizes: sizes, rounds: rounds,
                schedules: schedules, precision: precision)
        }
    }

    private static func measure(
        columnBufferMiB: Int?, algorithms: Set<String>, sizes: Set<Int>, rounds: Int,
        schedules: [Conv2dTiling.WinogradSchedule], precision: Precision
    ) {
        let bytes = columnBufferMiB.map { $0 << 20 } ?? Conv2dTiling.defaultColumnBufferBytes
        let shapes: [(channels: Int, outChannels: Int, size: Int)] = [
            (6, 128, 256), (128, 128, 256), (128, 128, 128), (256, 256, 64), (256, 256, 32),
            (512, 512, 16), (512, 512, 8), (1024, 512, 16), (768, 512, 8), (128, 3, 256),
        ]
        for shape in shapes where sizes.isEmpty || sizes.contains(shape.size) {
            let x = Tensor(shape: [1, shape.channels, shape.size, shape.size], repeating: 0.5)
            let weight = Tensor(shape: [shape.outChannels, shape.channels, 3, 3], repeating: 0.01)
            let flops = 2 * Double(shape.outChannels * shape.channels * 9) * Double(shape.size * shape.size)
            var line = "\(shape.channels) -> \(shape.outChannels) at \(shape.size):"
            let chosen = [Conv2dAlgorithm.im2col, .winograd, .winograd4x4, .winograd6x6].filter {
                algorithms.isEmpty || algorithms.contains("\($0)")
            }.flatMap { algorithm in
                algorithm == .im2col || schedules == [.automatic]
                    ? [(name: "\(algorithm)", algorithm: algorithm, schedule: Conv2dTiling.WinogradSchedule.automatic)]
                    : schedules.map { (name: "\(algorithm)/\($0)", algorithm: algorithm, schedule: $0) }
            }
            func call(_ variant: (name: String, algorithm: Conv2dAlgorithm, schedule: Conv2dTiling.WinogradSchedule)) {
                _ = conv2d(
                    x, weight: weight, bias: nil, padding: 1, algorithm: variant.algorithm, columnBufferBytes: bytes,
                    kernels: KernelSettings(precision: precision, winogradSchedule: variant.schedule))
            }
            // The first call transforms and keeps the Winograd weights; then rounds of one call
            // per algorithm, so that a change of the machine's load affects all of them alike.
            for variant in chosen { call(variant) }
            var best = [(wall: Double, cpu: Double)](repeating: (.infinity, .infinity), count: chosen.count)
            for _ in 0..<max(rounds, min(2 * rounds, Int(4e9 / flops))) {
                for (index, variant) in chosen.enumerated() {
                    let (wallStart, cpuStart) = (DispatchTime.now().uptimeNanoseconds, cpuSeconds())
                    call(variant)
                    let cpu = cpuSeconds() - cpuStart
                    let wall = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9
                    best[index] = (min(best[index].wall, wall), min(best[index].cpu, cpu))
                }
            }
            for (variant, time) in zip(chosen, best) {
                line += String(
                    format: "  %@ %.1f ms (cpu %.1f ms, %.0f GFLOP/s)", variant.name, time.wall * 1e3,
                    time.cpu * 1e3, flops / time.wall / 1e9)
            }
            print(line)
        }
    }
}
