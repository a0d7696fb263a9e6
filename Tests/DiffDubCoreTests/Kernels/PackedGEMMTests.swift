@testable import DiffDubCore
import TestSupport
import Testing

/// `start[r] + sum_d op(a)(r, d) op(b)(d, j)` in Double for every `(r, j)`, with the sum of the
/// terms' magnitudes (the scale of float32 rounding): `a` `[m, k]` (`[k, m]` transposed), `b`
/// `[k, n]` (`[n, k]` transposed), `start` one value per row (zero when empty).
private func referenceProduct(
    _ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, rowStart: [Float] = []
) -> (values: [Double], magnitudes: [Double]) {
    var (values, magnitudes) = ([Double](repeating: 0, count: m * n), [Double](repeating: 0, count: m * n))
    for r in 0..<m {
        for j in 0..<n {
            var sum = rowStart.isEmpty ? 0 : Double(rowStart[r])
            var magnitude = abs(sum)
            for d in 0..<k {
                let term = Double(transposeA ? a[d * m + r] : a[r * k + d]) * Double(transposeB ? b[j * k + d] : b[d * n + j])
                sum += term
                magnitude += abs(term)
            }
            (values[r * n + j], magnitudes[r * n + j]) = (sum, magnitude)
        }
    }
    return (values, magnitudes)
}

/// Whether `actual[i]` is within `k + 2` float32 roundings of the magnitude of its terms (a bound
/// for a float32 sum of `k` products; an element summed from a wrong row, column or depth is off
/// by about the magnitude itself).
private func expectWithinRounding(
    _ actual: [Float], _ expected: (values: [Double], magnitudes: [Double]), k: Int, scale: Double = 1,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.values.count, sourceLocation: sourceLocation)
    let unit = Double(Float.ulpOfOne)
    var worst = (excess: 0.0, index: -1)
    for i in actual.indices {
        let error = abs(Double(actual[i]) - scale * expected.values[i])
        let bound = Double(k + 2) * unit * abs(scale) * expected.magnitudes[i] + 1e-30
        if error / bound > worst.excess { worst = (error / bound, i) }
    }
    #expect(worst.excess <= 1, "element \(worst.index): error \(worst.excess) x the rounding bound", sourceLocation: sourceLocation)
}

/// Random values in -1...1 (fixed seed).
private func randomValues(_ count: Int, seed: UInt64) -> [Float] {
    randomTensor([count], seed: seed).scalars
}

/// The packed fp32 GEMM (``PackedGEMM``) against a Double reference on odd shapes: rows not a
/// multiple of 4 (and fewer than 4), columns not a multiple of 8 or 24 and past one column block
/// (192), depth 1, odd, and past one depth block (256); both operands transposed or not; a scale;
/// a bias per row, packed weight panels, accumulation; and results that do not depend on the
/// thread count, the batch split or the operand layout. The 1x1 convolutions that route through
/// it are checked against `sgemm`.
@Suite struct PackedGEMMTests {
    @Test(arguments: [
        (7, 203, 1, false, false),  // depth 1; 3 rows in the last panel; 11 columns past the first block
        (3, 29, 5, false, true),  // a single partial row panel; 5 columns in an 8-wide panel
        (13, 50, 129, true, false),  // odd depth; A transposed (packed per call)
        (66, 385, 300, true, true),  // two depth blocks of 150; three column blocks
        (4, 24, 513, false, false),  // exactly one block of C; three depth blocks of 171
        (129, 17, 64, false, true),  // few columns: rows cut into groups
    ])
    func matchesTheDoubleReference(_ shape: (Int, Int, Int, Bool, Bool)) {
        let (m, n, k, transposeA, transposeB) = shape
        let a = randomValues(m * k, seed: UInt64(m * 31 + k))
        let b = randomValues(k * n, seed: UInt64(n * 17 + k))
        let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
        for alpha: Float in [1, 0.375] {
            var c = [Float](repeating: .nan, count: m * n)
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        packedGEMM(
                            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                            a: pa.baseAddress!, lda: transposeA ? m : k, b: pb.baseAddress!, ldb: transposeB ? k : n,
                            c: pc.baseAddress!, ldc: n)
                    }
                }
            }
            expectWithinRounding(c, expected, k: k, scale: Double(alpha))
        }
    }

    /// A bias per row as each sum's start, from the matrix read in place and from packed panels
    /// (the same sums in the same order: equal bit for bit), into a `C` with a wider row stride
    /// whose other columns stay untouched; then accumulation onto that `C`.
    @Test(arguments: [(5, 77, 3), (130, 257, 1), (23, 200, 260)])
    func biasPanelsAndAccumulation(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let ldc = n + 3
        let a = randomValues(m * k, seed: UInt64(m + 5 * k))
        let b = randomValues(k * n, seed: UInt64(n + 7 * k))
        let bias = randomValues(m, seed: UInt64(m * n))
        let expected = referenceProduct(a, b, m: m, n: n, k: k, transposeA: false, transposeB: false, rowStart: bias)
        var results: [[Float]] = []
        for packed in [false, true] {
            var c = [Float](repeating: -7, count: m * ldc)
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    bias.withUnsafeBufferPointer { pbias in
                        c.withUnsafeMutableBufferPointer { pc in
                            let panels = PackedRowPanels(pa.baseAddress!, transposed: false, rows: m, depth: k, lda: k)
                            withExtendedLifetime(panels) {
                                packedGEMM(
                                    rows: packed ? panels.operand : .rowMajor(pa.baseAddress!, rows: m, depth: k, lda: k),
                                    rowBias: pbias.baseAddress!, transposeB: false, n: n, b: pb.baseAddress!, ldb: n,
                                    accumulate: false, c: pc.baseAddress!, ldc: ldc)
                            }
                        }
                    }
                }
            }
            results.append(c)
        }
        #expect(results[0] == results[1])
        let c = results[0]
        #expect((0..<m).allSatisfy { r in (n..<ldc).allSatisfy { c[r * ldc + $0] == -7 } })
        expectWithinRounding((0..<m).flatMap { r in c[(r * ldc)..<(r * ldc + n)] }, expected, k: k)

        // C += A B: twice the product plus the bias.
        var twice = c
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                twice.withUnsafeMutableBufferPointer { pc in
                    packedGEMM(
                        rows: .rowMajor(pa.baseAddress!, rows: m, depth: k, lda: k), rowBias: nil, transposeB: false, n: n,
                        b: pb.baseAddress!, ldb: n, accumulate: true, c: pc.baseAddress!, ldc: ldc)
                }
            }
        }
        let plain = referenceProduct(a, b, m: m, n: n, k: k, transposeA: false, transposeB: false)
        let doubled = (
            values: zip(expected.values, plain.values).map { $0 + $1 },
            magnitudes: zip(expected.magnitudes, plain.magnitudes).map { $0 + $1 }
        )
        expectWithinRounding((0..<m).flatMap { r in twice[(r * ldc)..<(r * ldc + n)] }, doubled, k: 2 * k + 2)
    }

    /// The same product on 1, 2 and 3 threads (different splits of rows and columns): equal bit
    /// for bit.
    @Test func resultsDoNotDependOnTheThreadCount() {
        for (m, n, k) in [(130, 1000, 300), (515, 40, 520)] {
            let a = randomValues(m * k, seed: 11)
            let b = randomValues(k * n, seed: 12)
            let results = [1, 2, 3].map { threads in
                ComputeSettings(threads: threads).run {
                    var c = [Float](repeating: 0, count: m * n)
                    a.withUnsafeBufferPointer { pa in
                        b.withUnsafeBufferPointer { pb in
                            c.withUnsafeMutableBufferPointer { pc in
                                packedGEMM(
                                    transposeA: false, transposeB: false, m: m, n: n, k: k, a: pa.baseAddress!, lda: k,
                                    b: pb.baseAddress!, ldb: n, c: pc.baseAddress!, ldc: n)
                            }
                        }
                    }
                    return c
                }
            }
            #expect(results[0] == results[1] && results[1] == results[2])
        }
    }

    /// 1x1 convolutions (conv2d, conv1d with groups) on the packed kernel against `sgemm`, on
    /// outputs of at least ``PackedGEMM/minimumColumns`` positions (where they take it); a batch
    /// of two images gives the same bits as each image alone.
    @Test func pointwiseConvolutionsMatchSgemm() {
        let x = randomTensor([2, 37, 128, 131], seed: 21)
        let weight = randomTensor([45, 37, 1, 1], seed: 22)
        let bias = randomTensor([45], seed: 23)
        let packed = conv2d(x, weight: weight, bias: bias, padding: 0)
        let sgemmOnly = KernelSettings(usesPackedProducts: false)
        let reference = conv2d(x, weight: weight, bias: bias, padding: 0, kernels: sgemmOnly)
        expectClose(packed, reference, tolerance: 1e-5)
        if PackedProducts.isAvailable { #expect(packed.scalars != reference.scalars) }  // the packed kernel ran
        let second = conv2d(slice(x, axis: 0, 1..<2), weight: weight, bias: bias, padding: 0)
        #expect(second.scalars == Array(packed.scalars[(45 * 128 * 131)...]))

        let sequence = randomTensor([2, 34, 16_390], seed: 24)
        let filters = randomTensor([22, 17, 1], seed: 25)
        let filterBias = randomTensor([22], seed: 26)
        expectClose(
            conv1d(sequence, weight: filters, bias: filterBias, groups: 2),
            conv1d(sequence, weight: filters, bias: filterBias, groups: 2, kernels: sgemmOnly),
            tolerance: 1e-5)
    }
}
