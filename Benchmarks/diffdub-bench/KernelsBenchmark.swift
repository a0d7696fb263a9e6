import DiffDubCore
import Foundation

/// Wall and CPU time of the memory-bound kernels on a `[1, 128, 256, 256]` activation (the
/// UNet's largest), `diffdub-bench kernels [single] [--only TEXT]`; `single` runs the kernels on
/// one thread (``Parallelism/threadCount`` 1), which makes the CPU column comparable across
/// loads; `--only` keeps the cases whose name contains `TEXT`.
enum KernelsBenchmark {
    static func run(singleThreaded: Bool, only filter: String? = nil) {
        if singleThreaded {
            ComputeSettings(threads: 1).run { measure(only: filter) }
        } else {
            measure(only: filter)
        }
    }

    private static func measure(only filter: String?) {
        let shape = [1, 128, 256, 256]
        let count = Double(Tensor.elementCount(of: shape))
        // Random values: constant inputs would let exp and division run on trivial data.
        let x = GaussianNoise.sample(shape: shape, seed: 1) * 2
        let other = Tensor(shape: shape, repeating: 0.5)
        let perChannel = Tensor(shape: [1, 128, 1, 1], repeating: 2)
        let gamma = Tensor(shape: [128], repeating: 1)
        let beta = Tensor(shape: [128], repeating: 0)
        let modulation = Tensor(shape: [1, 128], scalars: (0..<128).map { 0.5 + Float($0) / 128 })
        let sequence = GaussianNoise.sample(shape: [500, 1024], seed: 2)
        let features = GaussianNoise.sample(shape: [1024], seed: 3)
        let scores = Tensor(shape: [1024, 1024], repeating: 0.1)
        // A tensor of its own (the residual branch of a ResBlock) for the in-place sum.
        var accumulator = x * 1
        let cases: [(String, Double, () -> Void)] = [
            ("silu", count, { _ = silu(x) }),
            ("groupNorm 32", count, { _ = groupNorm(x, groups: 32, weight: gamma, bias: beta, eps: 1e-5) }),
            (
                "groupNorm 32 + SiLU (fused)", count,
                {
                    _ = groupNorm(
                        x, groups: 32, weight: gamma, bias: beta, eps: 1e-5, scale: nil, shift: nil, silu: true)
                }
            ),
            (
                "GN 32 + scale/shift + SiLU", count,
                {
                    _ = groupNorm(
                        x, groups: 32, weight: gamma, bias: beta, eps: 1e-5, scale: modulation, shift: modulation,
                        silu: true)
                }
            ),
            (
                "meanAndVariance, 32 groups", count,
                {
                    x.withUnsafeBufferPointer { buffer in
                        let group = buffer.count / 32
                        for g in 0..<32 {
                            _ = meanAndVariance(of: UnsafeBufferPointer(rebasing: buffer[(g * group)..<((g + 1) * group)]))
                        }
                    }
                }
            ),
            ("x + y (same shape)", count, { _ = x + other }),
            ("x += y (in place)", count, { accumulator += other }),
            ("x + [1, C, 1, 1]", count, { _ = x + perChannel }),
            ("x * [1, C, 1, 1]", count, { _ = x * perChannel }),
            ("x * 0.5", count, { _ = x * 0.5 }),
            ("upsampleNearest2x", 4 * count, { _ = upsampleNearest2x(x) }),
            ("avgPool2x2", count, { _ = avgPool2x2(x) }),
            ("permuted [C, HW] -> [HW, C]", count, { _ = permuted(x.reshaped([1, 128, 65536]), [0, 2, 1]) }),
            ("concat channels", 2 * count, { _ = concat([x, other], axis: 1) }),
            ("sigmoid", count, { _ = sigmoid(x) }),
            ("gelu", count, { _ = gelu(x) }),
            ("layerNorm [500, 1024]", 500 * 1024, { _ = layerNorm(sequence, weight: nil, bias: nil, eps: 1e-12) }),
            (
                "layerNorm [500, 1024] + affine", 500 * 1024,
                { _ = layerNorm(sequence, weight: features, bias: features, eps: 1e-12) }
            ),
            ("softmax [1024, 1024]", 1024 * 1024, { _ = softmax(scores) }),
        ]
        print(
            "kernels on \(Parallelism.threadCount) thread(s), best of 5; load average \(BenchmarkSupport.loadAverage())")
        // Warm up the allocator and the thread pool, which would otherwise bill the first case.
        for _ in 0..<5 { _ = silu(x) }
        for (name, elements, body) in cases where filter.map({ name.contains($0) }) ?? true {
            let (seconds, cpu) = bestTimes(runs: 5, body)
            print(
                String(
                    format: "%-30@ %8.2f ms wall %8.2f ms CPU  %6.2f ns/element CPU", name, seconds * 1e3, cpu * 1e3,
                    cpu * 1e9 / elements))
        }
    }

    /// Best wall and best CPU seconds (all threads) of `runs` calls after one warm-up call.
    static func bestTimes(runs: Int, _ body: () -> Void) -> (wall: Double, cpu: Double) {
        body()
        var wall = Double.infinity
        var cpu = Double.infinity
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = BenchmarkSupport.cpuSeconds()
            body()
            cpu = min(cpu, BenchmarkSupport.cpuSeconds() - cpuStart)
            wall = min(wall, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return (wall, cpu)
    }
}
