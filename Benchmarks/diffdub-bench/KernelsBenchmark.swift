import DiffDubCore
import Foundation

/// Wall time of the memory-bound kernels on a `[1, 128, 256, 256]` activation (the UNet's
/// largest), `diffdub-bench kernels`.
enum KernelsBenchmark {
    static func run() {
        let shape = [1, 128, 256, 256]
        let count = Double(Tensor.elementCount(of: shape))
        let x = Tensor(shape: shape, repeating: 0.25)
        let other = Tensor(shape: shape, repeating: 0.5)
        let perChannel = Tensor(shape: [1, 128, 1, 1], repeating: 2)
        let gamma = Tensor(shape: [128], repeating: 1)
        let beta = Tensor(shape: [128], repeating: 0)
        let sequence = Tensor(shape: [500, 1024], repeating: 0.1)
        let scores = Tensor(shape: [1024, 1024], repeating: 0.1)
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
            ("x + y (same shape)", count, { _ = x + other }),
            ("x * [1, C, 1, 1]", count, { _ = x * perChannel }),
            ("x * 0.5", count, { _ = x * 0.5 }),
            ("upsampleNearest2x", 4 * count, { _ = upsampleNearest2x(x) }),
            ("avgPool2x2", count, { _ = avgPool2x2(x) }),
            ("permuted [C, HW] -> [HW, C]", count, { _ = permuted(x.reshaped([1, 128, 65536]), [0, 2, 1]) }),
            ("concat channels", 2 * count, { _ = concat([x, other], axis: 1) }),
            ("sigmoid", count, { _ = sigmoid(x) }),
            ("gelu", count, { _ = gelu(x) }),
            ("layerNorm [500, 1024]", 500 * 1024, { _ = layerNorm(sequence, weight: nil, bias: nil, eps: 1e-12) }),
            ("softmax [1024, 1024]", 1024 * 1024, { _ = softmax(scores) }),
        ]
        // Warm up the allocator and the thread pool, which would otherwise bill the first case.
        for _ in 0..<5 { _ = silu(x) }
        for (name, elements, body) in cases {
            let seconds = SgemmBenchmark.bestTime(runs: 5, body)
            print(String(format: "%-30@ %8.2f ms  %6.2f ns/element", name, seconds * 1e3, seconds * 1e9 / elements))
        }
    }
}
