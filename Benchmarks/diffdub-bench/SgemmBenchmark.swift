import COpenBLAS
import DiffDubCore
import Foundation

/// Matrix-product and convolution throughput of this machine.
///
/// `swift run -c release diffdub-bench sgemm` measures raw `cblas_sgemm` at 2048^3 and at
/// 128 x 65536 x 1152 (the shape of a 3x3, 128-channel convolution on 256 x 256, as one
/// product); `... conv` times ``conv2d(_:weight:bias:padding:)`` on `[1, 128, 256, 256]`.
enum SgemmBenchmark {
    /// Best wall time of `runs` calls of `body`, in seconds, after one warm-up call.
    static func bestTime(runs: Int, _ body: () -> Void) -> Double {
        body()
        var best = Double.infinity
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return best
    }

    /// Prints GFLOP/s (`2 M N K` FLOPs per product) of `cblas_sgemm` for the two shapes.
    static func runSgemm() {
        print("OpenBLAS: \(BLAS.configuration), single-threaded; \(Parallelism.threadCount) kernel threads")
        for (m, n, k) in [(2048, 2048, 2048), (128, 65536, 1152)] {
            let a = [Float](repeating: 0.5, count: m * k)
            let b = [Float](repeating: 0.25, count: k * n)
            var c = [Float](repeating: 0, count: m * n)
            let seconds = bestTime(runs: 3) {
                c.withUnsafeMutableBufferPointer { c in
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                        1, a, Int32(k), b, Int32(n), 0, c.baseAddress, Int32(n))
                }
            }
            let gflops = 2 * Double(m) * Double(n) * Double(k) / seconds / 1e9
            print(String(format: "sgemm %d x %d x %d: %.4f s, %.1f GFLOP/s", m, n, k, seconds, gflops))
        }
        guard Precision.bf16.runsNatively else {
            print("bf16 products: not on this CPU (emulated: not timed)")
            return
        }
        // The bf16 GEMM through `matmul` (packing both operands included), kernel threads.
        for (m, n, k) in [(2048, 2048, 2048), (128, 65536, 1152)] {
            let a = Tensor(shape: [m, k], repeating: 0.5)
            let b = Tensor(shape: [k, n], repeating: 0.25)
            let seconds = bestTime(runs: 3) { _ = matmul(a, b, kernels: KernelSettings(precision: .bf16)) }
            let gflops = 2 * Double(m) * Double(n) * Double(k) / seconds / 1e9
            print(
                String(
                    format: "bf16 matmul %d x %d x %d (%d kernel threads): %.4f s, %.1f GFLOP/s", m, n, k,
                    Parallelism.threadCount, seconds, gflops))
        }
    }

    /// Prints seconds and effective GFLOP/s (`2 Cout Cin 9 H W`) of a 3x3 convolution
    /// `[1, 128, 256, 256] -> 128` with bias, padding 1, for each algorithm; the scratch
    /// buffer bound is `columnBufferMiB` if given.
    static func runConv(columnBufferMiB: Int? = nil) {
        let (channels, size) = (128, 256)
        let x = Tensor(shape: [1, channels, size, size], repeating: 0.5)
        let weight = Tensor(shape: [channels, channels, 3, 3], repeating: 0.01)
        let bias = Tensor(shape: [channels], repeating: 0.1)
        let bytes = columnBufferMiB.map { $0 << 20 } ?? Conv2dTiling.defaultColumnBufferBytes
        for algorithm in Conv2dAlgorithm.allCases {
            let seconds = bestTime(runs: 3) {
                _ = conv2d(x, weight: weight, bias: bias, padding: 1, algorithm: algorithm, columnBufferBytes: bytes)
            }
            let flops = 2 * Double(channels * channels * 9) * Double(size * size)
            print(
                String(
                    format: "conv2d 3x3 [1, %d, %d, %d] -> %d, %@, buffer %d MiB: %.4f s, %.1f GFLOP/s (effective)",
                    channels, size, size, channels, "\(algorithm)", bytes >> 20, seconds, flops / seconds / 1e9))
        }
    }
}
