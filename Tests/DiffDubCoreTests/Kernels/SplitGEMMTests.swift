@testable import DiffDubCore
import TestSupport
import Testing

/// Products are split across the kernel threads by row or column blocks (OpenBLAS itself runs
/// single-threaded); the result must be the single-call product (checked against a direct loop).
@Suite struct SplitGEMMTests {
    /// `op(a) op(b)` by a direct loop in `Double`.
    func reference(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let n = transposeB ? b.shape[0] : b.shape[1]
        let (x, y) = (a.scalars, b.scalars)
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var total = 0.0
                for p in 0..<k {
                    let u = transposeA ? x[p * m + i] : x[i * k + p]
                    let v = transposeB ? y[j * k + p] : y[p * n + j]
                    total += Double(u) * Double(v)
                }
                c[i * n + j] = Float(total)
            }
        }
        return Tensor(shape: [m, n], scalars: c)
    }

    @Test(arguments: [(300, 70, 200), (20, 900, 300), (129, 257, 130)])
    func splitProductsMatchTheDirectLoop(_ size: (Int, Int, Int)) {
        // Settings are values bound to this run only: tests running at the same time keep theirs.
        ComputeSettings(threads: 3).run { checkSplitProducts(size) }
    }

    private func checkSplitProducts(_ size: (Int, Int, Int)) {
        let (m, n, k) = size
        #expect(Parallelism.threadCount == 3)
        for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = randomTensor(transposeA ? [k, m] : [m, k], seed: UInt64(m + k))
            let b = randomTensor(transposeB ? [n, k] : [k, n], seed: UInt64(n + 7 * k))
            expectClose(
                matmul(a, b, transposeA: transposeA, transposeB: transposeB),
                reference(a, b, transposeA: transposeA, transposeB: transposeB), tolerance: 1e-5)
        }
        // The Winograd path runs its products side by side in this mode.
        let x = randomTensor([2, 32, 36, 36], seed: 3)
        let w = randomTensor([40, 32, 3, 3], seed: 4)
        let bias = randomTensor([40], seed: 5)
        let fast = conv2d(x, weight: w, bias: bias, padding: 1, algorithm: .winograd4x4)
        expectClose(fast, conv2d(x, weight: w, bias: bias, padding: 1, algorithm: .im2col))
        // Bit-identical whichever batch an image is in.
        let alone = conv2d(slice(x, axis: 0, 1..<2), weight: w, bias: bias, padding: 1, algorithm: .winograd4x4)
        #expect(slice(fast, axis: 0, 1..<2).scalars == alone.scalars)
    }
}
