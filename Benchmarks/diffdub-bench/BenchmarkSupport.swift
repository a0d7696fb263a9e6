import DiffDubCore
import Foundation

/// What every renderer benchmark prints next to its timings: the machine's state in the same run.
enum BenchmarkSupport {
    /// Peak resident memory of the process so far (`VmHWM` in /proc/self/status), in MB.
    static func peakResidentMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return .nan }
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? .nan
        return kilobytes / 1024
    }

    /// The 1-minute load average (/proc/loadavg).
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// CPU seconds of the process, all threads.
    static func cpuSeconds() -> Double {
        var usage = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &usage)
        return Double(usage.tv_sec) + Double(usage.tv_nsec) / 1e9
    }

    /// Best-of-`runs` GFLOP/s of `matmul` `[m, k] x [k, n]` (the library's `sgemm` path, with
    /// whatever BLAS and kernel threads are configured).
    static func matmulRate(_ m: Int, _ n: Int, _ k: Int, runs: Int) -> Double {
        let a = Tensor(shape: [m, k], repeating: 0.5)
        let b = Tensor(shape: [k, n], repeating: 0.25)
        var best = Double.infinity
        for _ in 0..<runs {
            let start = Date()
            _ = matmul(a, b)
            best = min(best, Date().timeIntervalSince(start))
        }
        return 2 * Double(m) * Double(n) * Double(k) / best / 1e9
    }

    /// Best-of-4 GFLOP/s of `matmul` at 2048^3 and at the product shape of a 128-channel 3x3
    /// convolution on 256 x 256 (`128 x 65536 x 1152`).
    static func sgemmRates() -> (square: Double, convShaped: Double) {
        (matmulRate(2048, 2048, 2048, runs: 4), matmulRate(128, 65536, 1152, runs: 4))
    }

    /// A quick probe of the machine's current matrix-product rate: best of two `matmul` calls at
    /// 2048^3, in GFLOP/s (about 0.2 s). Benchmarks call it between model calls, so every call's
    /// effective rate is compared with the rate the machine had at that moment (its speed drifts
    /// by 10-40 % within minutes when it is shared).
    static func sgemmProbe() -> Double {
        matmulRate(2048, 2048, 2048, runs: 2)
    }

    /// The median of `values` (`nan` when empty).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// How the project's kernels were compiled (see `targetCPU` in Package.swift).
    static var instructionSet: String { KernelBuild.summary }

    /// One line: threads, sgemm rates, load average.
    static func machineLine() -> (line: String, sgemm: Double) {
        let rates = sgemmRates()
        let line = String(
            format: "threads: %d kernel (OpenBLAS single-threaded); %@; sgemm 2048^3 %.1f GFLOP/s, 128x65536x1152 %.1f GFLOP/s; load average %@",
            Parallelism.threadCount, instructionSet, rates.square, rates.convShaped, loadAverage())
        return (line, rates.square)
    }
}
