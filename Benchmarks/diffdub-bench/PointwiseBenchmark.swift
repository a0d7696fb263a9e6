import DiffDubCore
import Foundation

/// The packed fp32 kernel (``PackedGEMM``) against OpenBLAS `sgemm` on the 1x1 convolutions and
/// attention products of the stage-1 UNet (`diffdub-bench pointwise`), to decide where the packed
/// kernel runs.
///
/// Prints the best wall and process CPU time of several calls per kernel, the two taking turns
/// call by call (so a change of the machine's load affects both alike), with the run's buffer
/// pool in force (as in a model run).
enum PointwiseBenchmark {
    /// One product of the UNet: a label, and the call.
    private struct Shape {
        let label: String
        let flops: Double
        let call: (KernelSettings) -> Tensor
    }

    /// The 1x1 convolutions `C -> O` at `side x side` of the UNet's skip connections (down path:
    /// 128 -> 256 at 64, 256 -> 512 at 16; up path: the concatenated inputs), its attention
    /// blocks' `qkv` and `proj_out` (Conv1d k = 1 over 16 x 16 and 8 x 8 positions) and their
    /// two products at 16 x 16 (`q^T k`, `v w^T`).
    private static func shapes() -> [Shape] {
        let convolutions: [(channels: Int, outChannels: Int, side: Int)] = [
            (256, 128, 256), (384, 128, 128), (256, 128, 128), (128, 256, 64), (512, 256, 64), (384, 256, 64),
            (768, 256, 32), (512, 256, 32), (256, 512, 16), (1024, 512, 16), (768, 512, 16), (1024, 512, 8),
        ]
        var shapes = convolutions.map { shape in
            let x = Tensor(shape: [1, shape.channels, shape.side, shape.side], repeating: 0.5)
            let weight = Tensor(shape: [shape.outChannels, shape.channels, 1, 1], repeating: 0.01)
            let bias = Tensor(shape: [shape.outChannels], repeating: 0.1)
            return Shape(
                label: "conv2d 1x1 \(shape.channels) -> \(shape.outChannels) at \(shape.side)^2",
                flops: 2 * Double(shape.channels * shape.outChannels * shape.side * shape.side),
                call: { conv2d(x, weight: weight, bias: bias, padding: 0, kernels: $0) })
        }
        for (outChannels, length) in [(1536, 256), (512, 256), (1536, 64)] {
            let x = Tensor(shape: [1, 512, length], repeating: 0.5)
            let weight = Tensor(shape: [outChannels, 512, 1], repeating: 0.01)
            let bias = Tensor(shape: [outChannels], repeating: 0.1)
            shapes.append(
                Shape(
                    label: "conv1d k=1 512 -> \(outChannels) over \(length)", flops: 2 * Double(512 * outChannels * length),
                    call: { conv1d(x, weight: weight, bias: bias, kernels: $0) }))
        }
        let q = Tensor(shape: [1, 512, 256], repeating: 0.5)
        let k = Tensor(shape: [1, 512, 256], repeating: 0.25)
        let w = Tensor(shape: [1, 256, 256], repeating: 1.0 / 256)
        shapes.append(
            Shape(label: "matmul q^T k [256 x 512] x [512 x 256]", flops: 2 * 256 * 256 * 512, call: { matmul(q, k, transposeA: true, kernels: $0) }))
        shapes.append(
            Shape(label: "matmul v w^T [512 x 256] x [256 x 256]", flops: 2 * 512 * 256 * 256, call: { matmul(q, w, transposeB: true, kernels: $0) }))
        return shapes
    }

    /// Runs every shape `rounds` times (more for small ones) per kernel; `only` keeps the shapes
    /// whose label contains it.
    static func run(rounds: Int = 5, only: String? = nil) {
        print("packed fp32 kernel vs sgemm (threads: \(Parallelism.threadCount), load average \(BenchmarkSupport.loadAverage()))")
        var totals = (packed: 0.0, sgemm: 0.0)
        for shape in shapes() where only.map({ shape.label.contains($0) }) ?? true {
            // The first calls pack and keep the weights.
            _ = shape.call(.standard)
            _ = shape.call(KernelSettings(usesPackedProducts: false))
            var best = [(wall: Double, cpu: Double)](repeating: (.infinity, .infinity), count: 2)
            for _ in 0..<max(rounds, min(8 * rounds, Int(2e9 / shape.flops))) {
                for (index, packed) in [true, false].enumerated() {
                    let (wallStart, cpuStart) = (DispatchTime.now().uptimeNanoseconds, BenchmarkSupport.cpuSeconds())
                    _ = shape.call(KernelSettings(usesPackedProducts: packed))
                    let cpu = BenchmarkSupport.cpuSeconds() - cpuStart
                    let wall = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9
                    best[index] = (min(best[index].wall, wall), min(best[index].cpu, cpu))
                }
            }
            totals = (totals.packed + best[0].cpu, totals.sgemm + best[1].cpu)
            print(
                String(
                    format: "%@:  packed %.2f ms (cpu %.2f ms, %.0f GFLOP/s)  sgemm %.2f ms (cpu %.2f ms, %.0f GFLOP/s)  cpu ratio %.2f",
                    shape.label, best[0].wall * 1e3, best[0].cpu * 1e3, shape.flops / best[0].wall / 1e9, best[1].wall * 1e3,
                    best[1].cpu * 1e3, shape.flops / best[1].wall / 1e9, best[0].cpu / best[1].cpu))
        }
        print(String(format: "total best cpu: packed %.1f ms, sgemm %.1f ms", totals.packed * 1e3, totals.sgemm * 1e3))
    }
}
