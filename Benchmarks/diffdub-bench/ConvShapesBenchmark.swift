import DiffDubCore
import Foundation

/// im2col against Winograd on the 3x3 convolution shapes of the stage-1 UNet
/// (`diffdub-bench convshapes`), to choose ``Conv2dAlgorithm/automatic``'s rule.
///
/// Prints wall time and process CPU time (the latter is steadier on a shared machine).
enum ConvShapesBenchmark {
    static func cpuSeconds() -> Double {
        var usage = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &usage)
        return Double(usage.tv_sec) + Double(usage.tv_nsec) / 1e9
    }

    /// `singleThreaded` runs BLAS and ``parallelFor(_:minimumChunk:_:)`` on one thread, so the CPU
    /// time measures the work alone even when other processes load the machine.
    static func run(singleThreaded: Bool = false, columnBufferMiB: Int? = nil) {
        if singleThreaded {
            BLAS.threadCount = 1
            Parallelism.threadCount = 1
        }
        let bytes = columnBufferMiB.map { $0 << 20 } ?? Conv2dTiling.defaultColumnBufferBytes
        let shapes: [(channels: Int, outChannels: Int, size: Int)] = [
            (6, 128, 256), (128, 128, 256), (128, 128, 128), (256, 256, 64), (256, 256, 32),
            (512, 512, 16), (512, 512, 8), (1024, 512, 16), (768, 512, 8), (128, 3, 256),
        ]
        for shape in shapes {
            let x = Tensor(shape: [1, shape.channels, shape.size, shape.size], repeating: 0.5)
            let weight = Tensor(shape: [shape.outChannels, shape.channels, 3, 3], repeating: 0.01)
            let flops = 2 * Double(shape.outChannels * shape.channels * 9) * Double(shape.size * shape.size)
            var line = "\(shape.channels) -> \(shape.outChannels) at \(shape.size):"
            for algorithm in [Conv2dAlgorithm.im2col, .winograd, .winograd4x4] {
                let runs = max(1, min(5, Int(2e9 / flops)))
                _ = conv2d(x, weight: weight, bias: nil, padding: 1, algorithm: algorithm, columnBufferBytes: bytes)
                let cpuStart = cpuSeconds()
                let wall = SgemmBenchmark.bestTime(runs: runs) {
                    _ = conv2d(x, weight: weight, bias: nil, padding: 1, algorithm: algorithm, columnBufferBytes: bytes)
                }
                let cpu = (cpuSeconds() - cpuStart) / Double(runs + 1)
                line += String(
                    format: "  %@ %.1f ms (cpu %.1f ms, %.0f GFLOP/s)", "\(algorithm)", wall * 1e3, cpu * 1e3,
                    flops / wall / 1e9)
            }
            print(line)
        }
    }
}
