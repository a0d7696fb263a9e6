import CBF16Kernels

/// Matrix products with bfloat16 inputs and float32 sums (``Precision/bf16``), on the
/// AVX512_BF16 kernel of the `CBF16Kernels` C target (`vdpbf16ps`).
///
/// Layout: an operand is cut into panels along its free axis (8 rows of `A`, ``rowBlock``; 16 or
/// 32 columns of `B`, ``columnBlock``), and each panel is stored as bfloat16 pairs of consecutive
/// depths: `panel[k / 2][n][k % 2]` (`[(K + 1) / 2][width][2]`, zero past `K` and past the
/// operand's edge), the pairs `vdpbf16ps` multiplies and adds per float32 lane. A block of `C` (8
/// x 32) stays in 16 AVX-512 registers over the whole depth: per pair of depths, 2 loads of `B`,
/// 8 broadcasts of `A`, 16 `vdpbf16ps` (64 multiply-adds each). Rounding is to nearest, ties to
/// even (``round(_:)``); each product of two bfloat16 values is exact in float32.
enum BF16Products {
    /// Rows of `A` (output channels) per panel.
    static let rowBlock = 8
    /// Widest panel of `B`.
    static let columnBlock = 32
    /// Granularity of `B` panel widths (16 or 32).
    static let columnGranularity = 16

    /// Whether the CPU runs the kernel (checked once: AVX512F, AVX512BW, AVX512_BF16).
    static let isAvailable: Bool = diffdub_bf16_is_supported() != 0

    /// `x` rounded to bfloat16 (to nearest, ties to even), as its 16 bits.
    @inline(__always)
    static func round(_ x: Float) -> UInt16 { diffdub_bf16_round(x) }

    /// The float value of bfloat16 bits.
    @inline(__always)
    static func float(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

    /// Depth pairs of a packed panel of depth `depth`.
    @inline(__always)
    static func pairs(_ depth: Int) -> Int { (depth + 1) / 2 }

    /// Packs the `depth x count` block whose element `(k, n)` is `source[k * depthStride + n *
    /// countStride]` into a panel `[(depth + 1) / 2][width][2]` at `target` (zero-padded).
    ///
    /// Contiguous rows (`countStride == 1`) into a panel whose width is a multiple of 16 are
    /// converted 16 at a time on a CPU with the kernel (`vcvtne2ps2bf16`, which also flushes
    /// float32 subnormals to zero); anything else goes value by value through ``round(_:)``.
    @inline(__always)
    static func pack(
        _ source: UnsafePointer<Float>, depthStride: Int, countStride: Int, depth: Int, count: Int, width: Int,
        into target: UnsafeMutablePointer<UInt16>
    ) {
        if isAvailable && countStride == 1 && width % 16 == 0 {
            diffdub_bf16_pack_rows(source, depthStride, Int32(depth), Int32(count), Int32(width), target)
        } else {
            diffdub_bf16_pack(source, depthStride, countStride, Int32(depth), Int32(count), Int32(width), target)
        }
    }

    /// `C[r * ldc + j] = alpha * sum_k A(k, r) B(k, j) + beta * C[r * ldc + j]` for `r < rows`
    /// (<= 8) and `j < columns` (<= `width`), `A` a packed 8-row panel, `B` a packed panel of
    /// `width` (16 or 32) columns, both of `pairs` depth pairs.
    ///
    /// On a CPU with AVX512_BF16 (``isAvailable``) the C kernel's `vdpbf16ps` runs; elsewhere
    /// ``emulatedMultiply(pairs:a:b:width:c:ldc:rows:columns:alpha:beta:)``: the same exact
    /// products summed in float32, so ``Precision/bf16`` gives bfloat16 results on every CPU.
    @inline(__always)
    static func multiply(
        pairs: Int, a: UnsafePointer<UInt16>, b: UnsafePointer<UInt16>, width: Int, c: UnsafeMutablePointer<Float>,
        ldc: Int, rows: Int, columns: Int, alpha: Float = 1, beta: Float = 0
    ) {
        if isAvailable {
            diffdub_bf16_multiply(Int32(pairs), a, b, Int32(width), c, ldc, Int32(rows), Int32(columns), alpha, beta)
        } else {
            emulatedMultiply(
                pairs: pairs, a: a, b: b, width: width, c: c, ldc: ldc, rows: rows, columns: columns, alpha: alpha,
                beta: beta)
        }
    }

    /// The portable emulation of the `vdpbf16ps` kernel, arguments as
    /// ``multiply(pairs:a:b:width:c:ldc:rows:columns:alpha:beta:)``: per depth pair `p`,
    /// `acc[r][j] += A(2p, r) B(2p, j) + A(2p+1, r) B(2p+1, j)` in float32 (each product of two
    /// bfloat16 values is exact), then `C = alpha * acc + beta * C`. The `B` pair is widened to
    /// two float rows once and reused by the 8 rows of `A`, so the inner loop is a contiguous
    /// multiply-add the compiler vectorises.
    static func emulatedMultiply(
        pairs: Int, a: UnsafePointer<UInt16>, b: UnsafePointer<UInt16>, width: Int, c: UnsafeMutablePointer<Float>,
        ldc: Int, rows: Int, columns: Int, alpha: Float, beta: Float
    ) {
        let accumulators = rowBlock * columnBlock
        withUnsafeTemporaryAllocation(of: Float.self, capacity: accumulators + 2 * columnBlock) { buffer in
            let acc = buffer.baseAddress!
            let (even, odd) = (acc + accumulators, acc + accumulators + columnBlock)
            acc.initialize(repeating: 0, count: accumulators)
            for p in 0..<pairs {
                let line = b + p * width * 2
                for j in 0..<columns {
                    even[j] = float(line[2 * j])
                    odd[j] = float(line[2 * j + 1])
                }
                let aLine = a + p * rowBlock * 2
                for r in 0..<rows {
                    let (a0, a1) = (float(aLine[2 * r]), float(aLine[2 * r + 1]))
                    let row = acc + r * columnBlock
                    for j in 0..<columns { row[j] += a0 * even[j] + a1 * odd[j] }
                }
            }
            for r in 0..<rows {
                let (row, target) = (acc + r * columnBlock, c + r * ldc)
                for j in 0..<columns { target[j] = beta == 0 ? alpha * row[j] : alpha * row[j] + beta * target[j] }
            }
        }
    }
}

/// Row-major GEMM with bfloat16 inputs and float32 sums: `C = alpha * op(A) op(B) + beta * C`,
/// arguments as ``sgemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``.
///
/// Both operands are rounded and packed once per call (`A` in 8-row panels, `B` in 32-column
/// panels, ``BF16Products``); the blocks of `C` (panels of `B` outside, row panels of `A`
/// inside) are shared out over ``parallelFor(_:minimumChunk:_:)`` threads. Each element of `C`
/// is the same sum in the same order whatever the split.
///
/// Runs on any CPU (``BF16Products/multiply(pairs:a:b:width:c:ldc:rows:columns:alpha:beta:)``
/// emulates the kernel where AVX512_BF16 is missing).
func bf16gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    guard m > 0, n > 0 else { return }
    let (rowBlock, columnBlock) = (BF16Products.rowBlock, BF16Products.columnBlock)
    let pairs = BF16Products.pairs(k)
    let rowPanels = (m + rowBlock - 1) / rowBlock
    let columnPanels = (n + columnBlock - 1) / columnBlock
    let (aPanel, bPanel) = (pairs * rowBlock * 2, pairs * columnBlock * 2)
    let packed = UnsafeMutablePointer<UInt16>.allocate(capacity: rowPanels * aPanel + columnPanels * bPanel)
    defer { packed.deallocate() }
    let (packedA, packedB) = (packed, packed + rowPanels * aPanel)
    // op(A)(r, kk) = a[r * lda + kk], or a[kk * lda + r] transposed: depth kk, count r.
    let (aDepthStride, aCountStride) = transposeA ? (lda, 1) : (1, lda)
    let (bDepthStride, bCountStride) = transposeB ? (1, ldb) : (ldb, 1)
    let chunk = max(1, 16384 / max(1, k))
    parallelFor(rowPanels + columnPanels, minimumChunk: chunk) { range in
        for panel in range {
            if panel < rowPanels {
                let first = panel * rowBlock
                BF16Products.pack(
                    a + first * aCountStride, depthStride: aDepthStride, countStride: aCountStride, depth: k,
                    count: min(rowBlock, m - first), width: rowBlock, into: packedA + panel * aPanel)
            } else {
                let p = panel - rowPanels
                let first = p * columnBlock
                let count = min(columnBlock, n - first)
                BF16Products.pack(
                    b + first * bCountStride, depthStride: bDepthStride, countStride: bCountStride, depth: k,
                    count: count, width: count > 16 ? columnBlock : 16, into: packedB + p * bPanel)
            }
        }
    }
    parallelFor(rowPanels * columnPanels, minimumChunk: max(1, 256 / max(1, pairs))) { range in
        for item in range {
            let (p, r) = (item / rowPanels, item % rowPanels)
            let (firstRow, firstColumn) = (r * rowBlock, p * columnBlock)
            let columns = min(columnBlock, n - firstColumn)
            BF16Products.multiply(
                pairs: pairs, a: packedA + r * aPanel, b: packedB + p * bPanel, width: columns > 16 ? columnBlock : 16,
                c: c + firstRow * ldc + firstColumn, ldc: ldc, rows: min(rowBlock, m - firstRow), columns: columns,
                alpha: alpha, beta: beta)
        }
    }
}

/// Whether a product of `m x n x k` runs on ``bf16gemm`` with `kernels`: they ask for bf16
/// (``KernelSettings/precision``; natively or emulated) and the product is large enough to gain
/// from it (at least 8 x 16 x 16 and 2^20 multiply-adds).
func productUsesBF16(m: Int, n: Int, k: Int, kernels: KernelSettings) -> Bool {
    kernels.productsUseBF16 && m >= 8 && n >= 16 && k >= 16 && m * n * k >= 1 << 20
}

/// The GEMM of the large products that follow ``KernelSettings/precision``: ``bf16gemm`` when
/// ``productUsesBF16(m:n:k:kernels:)``, ``sgemm`` otherwise. Used by the attention products (the 1x1
/// convolutions go through ``pointwiseProduct(weights:weightTensor:m:k:lda:bias:input:n:ldb:output:ldc:kernels:)``);
/// arguments as ``sgemm``.
///
/// The fp32 attention products stay with `sgemm`: on the packed kernel (``packedGEMM(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``)
/// the UNet's `q^T k` (256 x 256 x 512) and `v w^T` (512 x 256 x 256) took 1.3-1.5x the CPU time
/// (`diffdub-bench pointwise`: a transposed operand to pack per call, and few columns).
func productGEMM(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, kernels: KernelSettings
) {
    if productUsesBF16(m: m, n: n, k: k, kernels: kernels) {
        bf16gemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b,
            ldb: ldb, beta: beta, c: c, ldc: ldc)
    } else {
        sgemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b,
            ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}
