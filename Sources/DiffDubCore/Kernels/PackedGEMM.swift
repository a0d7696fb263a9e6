/// Single-precision matrix products on the register-blocked micro-kernel of ``PackedProducts``,
/// for the large 1x1 convolutions, in place of OpenBLAS `sgemm` (which packs both operands on
/// every call and needs a separate pass to fill the bias).
///
/// `C (M x N) = alpha * (start + op(A) op(B))`, where `start` is zero, a value per row of `C` (a
/// convolution's bias, so no separate fill pass) or `C` itself (``packedGEMM(rows:rowBias:transposeB:n:alpha:b:ldb:accumulate:c:ldc:)``).
/// `A` is read in place or from panels packed once (``PackedGEMMRows``, ``PackedRowPanels``);
/// `B` is packed per call, a block of at most ``depthBlock`` x ``columnBlock`` at a time per
/// thread, as panels `[depth][24]` that stay in L1 while the 4 x 24 blocks of `C` of every row
/// panel of `A` are multiplied with them.
///
/// Work is shared out over ``parallelFor(_:minimumChunk:_:)`` by column blocks of `C` (and row
/// groups when there are few columns); the depth is cut into blocks that depend only on `K`, each
/// element of `C` is summed over them in increasing order, so the result does not depend on the
/// thread count or the split.
package enum PackedGEMM {
    /// Depth per block of `B` (the depth `K` is cut into `ceil(K / 256)` equal blocks): a
    /// `[256][24]` panel of `B` is 24 KiB, within L1.
    static let depthBlock = 256
    /// Columns of `C` per work item (8 panels of 24): a `[256][192]` block of `B` is 192 KiB.
    static let columnBlock = 192
    /// Rows of `A` multiplied with one panel of `B` before the next panel (a `[64][256]` block of
    /// `A` is 64 KiB), so the blocks of `A`, `B` and `C` in use stay within L2 (512 KiB on Zen 3).
    static let rowBlock = 64

    /// Whether the fp32 products of a call with `kernels` run on the packed kernel: the build has
    /// it (``PackedProducts/isAvailable``) and ``KernelSettings/usesPackedProducts`` (false: they
    /// call OpenBLAS `sgemm` as before, the comparison of `diffdub-bench pointwise`).
    static func isUsed(by kernels: KernelSettings) -> Bool { PackedProducts.isAvailable && kernels.usesPackedProducts }

    /// Columns of `C` from which the kernel beats `sgemm` (128 x 128 pixels of a 1x1 convolution).
    static let minimumColumns = 1 << 14

    /// Whether a product of `m x n x k` gains from the kernel: at least ``minimumColumns`` columns
    /// and a non-empty depth. `diffdub-bench pointwise` (AVX2 build, Zen 3, best CPU ms of the
    /// packed kernel / sgemm with a bias fill, two runs): 256 -> 128 at 256^2 59-64 / 69-72,
    /// 384 -> 128 at 128^2 25.5-27.2 / 27.4-28.4, 256 -> 128 at 128^2 16.3-19.4 / 16.8-19.8; at
    /// 64^2 and below (the UNet's 128..1024 -> 256..512 layers, attention's Conv1d over 256
    /// positions) 0-14 % slower, so those stay with `sgemm`.
    static func suits(m: Int, n: Int, k: Int) -> Bool {
        m > 0 && k > 0 && n >= minimumColumns
    }
}

/// Row-major GEMM `C = alpha * op(A) op(B) + beta * C`, arguments as
/// ``sgemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``, on the packed kernel
/// (``PackedGEMM``): `A` read in place, or packed for this call when `transposeA`.
///
/// - Precondition: `k > 0`; `beta` is 0, or 1 with `alpha` 1.
func packedGEMM(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    precondition(beta == 0 || (beta == 1 && alpha == 1), "packedGEMM: beta \(beta) with alpha \(alpha)")
    guard m > 0, n > 0 else { return }
    if transposeA {
        let panels = PackedRowPanels(a, transposed: true, rows: m, depth: k, lda: lda)
        withExtendedLifetime(panels) {
            packedGEMM(
                rows: panels.operand, rowBias: nil, transposeB: transposeB, n: n, alpha: alpha, b: b, ldb: ldb,
                accumulate: beta != 0, c: c, ldc: ldc)
        }
    } else {
        packedGEMM(
            rows: .rowMajor(a, rows: m, depth: k, lda: lda), rowBias: nil, transposeB: transposeB, n: n, alpha: alpha,
            b: b, ldb: ldb, accumulate: beta != 0, c: c, ldc: ldc)
    }
}

/// `C[r, j] = alpha * (start(r, j) + sum_d op(A)(r, d) op(B)(d, j))` for `r < M`, `j < n`,
/// with `op(A)` given by `rows` (`M x K`), `op(B)` `K x n` (`b[d * ldb + j]`, or `b[j * ldb + d]`
/// when `transposeB`), and `start(r, j)` `C[r, j]` when `accumulate`, else `rowBias[r]` (zero
/// when `nil`). See ``PackedGEMM`` for the blocking and threading.
///
/// - Precondition: ``PackedProducts/isAvailable`` for speed (the code is correct anywhere);
///   `K > 0`; not both `accumulate` and a `rowBias`.
func packedGEMM(
    rows a: PackedGEMMRows, rowBias: UnsafePointer<Float>?, transposeB: Bool, n: Int, alpha: Float = 1,
    b: UnsafePointer<Float>, ldb: Int, accumulate: Bool, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    let (m, k) = (a.rows, a.depth)
    guard m > 0, n > 0 else { return }
    precondition(k > 0, "packedGEMM: empty depth")
    precondition(!(accumulate && rowBias != nil), "packedGEMM: a bias and accumulation")
    let (block, panelWidth) = (PackedProducts.rowBlock, PackedProducts.columnBlock)
    let depthBlocks = (k + PackedGEMM.depthBlock - 1) / PackedGEMM.depthBlock
    let blockDepth = (k + depthBlocks - 1) / depthBlocks
    let columnBlock = PackedGEMM.columnBlock
    let rowChunk = PackedGEMM.rowBlock / block
    let columnBlocks = (n + columnBlock - 1) / columnBlock
    let rowPanels = (m + block - 1) / block
    // Few column blocks: cut the rows into groups too, so every thread has work.
    let threads = Parallelism.threadCount
    let rowGroups = columnBlocks >= 4 * threads ? 1 : min(rowPanels, (4 * threads + columnBlocks - 1) / columnBlocks)
    let items = columnBlocks * rowGroups
    let itemWork = 2 * rowPanels * block * k * min(n, columnBlock) / rowGroups
    parallelFor(items, minimumChunk: max(1, (1 << 21) / max(1, itemWork))) { range in
        let packedB = UnsafeMutablePointer<Float>.allocate(capacity: blockDepth * columnBlock)
        let edgeRows = UnsafeMutablePointer<Float>.allocate(capacity: blockDepth * block)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: block * panelWidth + block)
        defer {
            packedB.deallocate()
            edgeRows.deallocate()
            scratch.deallocate()
        }
        let edgeBias = scratch + block * panelWidth
        for item in range {
            let (columnIndex, group) = (item / rowGroups, item % rowGroups)
            let firstColumn = columnIndex * columnBlock
            let columns = min(columnBlock, n - firstColumn)
            let panels = (columns + panelWidth - 1) / panelWidth
            let (firstPanel, endPanel) = (rowPanels * group / rowGroups, rowPanels * (group + 1) / rowGroups)
            for depthIndex in 0..<depthBlocks {
                let firstDepth = depthIndex * blockDepth
                let depth = min(blockDepth, k - firstDepth)
                packColumns(
                    b, ldb: ldb, transposed: transposeB, firstDepth: firstDepth, depth: depth, firstColumn: firstColumn,
                    columns: columns, panelStride: blockDepth * panelWidth, into: packedB)
                // The last row panel of an unpadded A, copied with zero rows.
                let partialRows = m - (rowPanels - 1) * block
                if !a.isPadded && endPanel == rowPanels && partialRows < block {
                    let first = a.base + (rowPanels - 1) * a.panelStride + firstDepth * a.depthStride
                    for d in 0..<depth {
                        for i in 0..<block {
                            edgeRows[d * block + i] = i < partialRows ? first[i * a.rowStride + d * a.depthStride] : 0
                        }
                    }
                }
                let scale: Float = depthIndex == depthBlocks - 1 ? alpha : 1
                for chunkStart in stride(from: firstPanel, to: endPanel, by: rowChunk) {
                    for panel in 0..<panels {
                        let firstPanelColumn = panel * panelWidth
                        let panelColumns = min(panelWidth, columns - firstPanelColumn)
                        let width = packedWidth(panelColumns)
                        let pb = UnsafePointer(packedB + panel * blockDepth * panelWidth)
                        for rowPanel in chunkStart..<min(endPanel, chunkStart + rowChunk) {
                            let firstRow = rowPanel * block
                            let rowCount = min(block, m - firstRow)
                            var (pa, depthStride, rowStride) = (
                                a.base + rowPanel * a.panelStride + firstDepth * a.depthStride, a.depthStride, a.rowStride
                            )
                            if rowCount < block && !a.isPadded {
                                (pa, depthStride, rowStride) = (UnsafePointer(edgeRows), block, 1)
                            }
                            let start: PackedBlockStart
                            if depthIndex > 0 || accumulate {
                                start = .accumulate
                            } else if let rowBias {
                                if rowCount == block {
                                    start = .rowValues(rowBias + firstRow)
                                } else {
                                    for i in 0..<block { edgeBias[i] = i < rowCount ? rowBias[firstRow + i] : 0 }
                                    start = .rowValues(edgeBias)
                                }
                            } else {
                                start = .zero
                            }
                            multiplyBlock(
                                depth: depth, a: pa, depthStride: depthStride, rowStride: rowStride, b: pb,
                                width: width, c: c + firstRow * ldc + firstColumn + firstPanelColumn, ldc: ldc,
                                rows: rowCount, columns: panelColumns, start: start, scale: scale, scratch: scratch)
                        }
                    }
                }
            }
        }
    }
}

/// One 4 x `width` block of `C` (``PackedProducts/multiply(depth:a:depthStride:rowStride:b:width:c:ldc:start:scale:)``),
/// of which only `rows` x `columns` are stored: in place when the block is whole, through the
/// `4 x 24` `scratch` block at the edges of `C`.
@inline(__always)
private func multiplyBlock(
    depth: Int, a: UnsafePointer<Float>, depthStride: Int, rowStride: Int, b: UnsafePointer<Float>, width: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int, start: PackedBlockStart, scale: Float,
    scratch: UnsafeMutablePointer<Float>
) {
    let (block, panelWidth) = (PackedProducts.rowBlock, PackedProducts.columnBlock)
    if rows == block && columns == width {
        PackedProducts.multiply(
            depth: depth, a: a, depthStride: depthStride, rowStride: rowStride, b: b, width: width, c: c, ldc: ldc,
            start: start, scale: scale)
        return
    }
    if case .accumulate = start {
        for i in 0..<rows { (scratch + i * panelWidth).update(from: c + i * ldc, count: columns) }
    }
    PackedProducts.multiply(
        depth: depth, a: a, depthStride: depthStride, rowStride: rowStride, b: b, width: width, c: scratch,
        ldc: panelWidth, start: start, scale: scale)
    for i in 0..<rows { (c + i * ldc).update(from: scratch + i * panelWidth, count: columns) }
}

/// The width of the packed panel that holds `columns` (1...24) columns: the next multiple of 8.
@inline(__always)
private func packedWidth(_ columns: Int) -> Int {
    let granularity = PackedProducts.columnGranularity
    return (columns + granularity - 1) / granularity * granularity
}

/// Packs `op(B)(firstDepth + d, firstColumn + j)` for `d < depth`, `j < columns` into panels of
/// 24 columns, panel `p` at `target + p * panelStride` as `[depth][width]` (`width`: 24, or the
/// last panel's column count rounded up to 8, zero-padded).
private func packColumns(
    _ b: UnsafePointer<Float>, ldb: Int, transposed: Bool, firstDepth: Int, depth: Int, firstColumn: Int, columns: Int,
    panelStride: Int, into target: UnsafeMutablePointer<Float>
) {
    let panelWidth = PackedProducts.columnBlock
    let panels = (columns + panelWidth - 1) / panelWidth
    if !transposed {
        let fullPanels = columns / panelWidth
        for d in 0..<depth {
            let source = b + (firstDepth + d) * ldb + firstColumn
            for panel in 0..<fullPanels {
                let (from, to) = (source + panel * panelWidth, target + panel * panelStride + d * panelWidth)
                to.storeVector(from.loadVector(at: 0), at: 0)
                to.storeVector(from.loadVector(at: 8), at: 8)
                to.storeVector(from.loadVector(at: 16), at: 16)
            }
            if fullPanels < panels {
                let first = fullPanels * panelWidth
                let count = columns - first
                let width = packedWidth(count)
                let to = target + fullPanels * panelStride + d * width
                to.update(from: source + first, count: count)
                if count < width { (to + count).update(repeating: 0, count: width - count) }
            }
        }
        return
    }
    // op(B)(d, j) = b[j * ldb + d]: each column of op(B) is a contiguous run of the source.
    for panel in 0..<panels {
        let first = panel * panelWidth
        let count = min(panelWidth, columns - first)
        let width = packedWidth(count)
        let to = target + panel * panelStride
        for j in 0..<width {
            guard j < count else {
                for d in 0..<depth { to[d * width + j] = 0 }
                continue
            }
            let source = b + (firstColumn + first + j) * ldb + firstDepth
            for d in 0..<depth { to[d * width + j] = source[d] }
        }
    }
}
