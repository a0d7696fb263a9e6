/// The left operand `A` (`M x K`) of ``packedGEMM(rows:rowBias:transposeB:n:alpha:b:ldb:accumulate:c:ldc:)``:
/// where `op(A)(r, d)` lives, as panel `r / 4`, row `r % 4`, depth `d`:
/// `base[(r / 4) * panelStride + (r % 4) * rowStride + d * depthStride]`.
///
/// Two layouts: a row-major matrix read in place (``rowMajor(_:rows:depth:lda:)``: four rows of it
/// are a panel; the last panel, when `M` is not a multiple of 4, is copied zero-padded per call),
/// or packed panels `[M' / 4][K][4]` (``PackedRowPanels``, zero past `M`).
struct PackedGEMMRows {
    /// Panel 0, row 0, depth 0.
    let base: UnsafePointer<Float>
    /// `M`.
    let rows: Int
    /// `K`.
    let depth: Int
    /// Elements from one depth to the next within a row.
    let depthStride: Int
    /// Elements from one row of a panel to the next.
    let rowStride: Int
    /// Elements from one panel to the next.
    let panelStride: Int
    /// Whether the last panel holds four rows (zeros past `M`) and can be read in place.
    let isPadded: Bool

    /// The rows of the row-major `M x K` matrix at `a` (row stride `lda`), read in place.
    static func rowMajor(_ a: UnsafePointer<Float>, rows: Int, depth: Int, lda: Int) -> PackedGEMMRows {
        PackedGEMMRows(
            base: a, rows: rows, depth: depth, depthStride: 1, rowStride: lda, panelStride: PackedProducts.rowBlock * lda,
            isPadded: rows % PackedProducts.rowBlock == 0)
    }
}

/// An `M x K` operand packed once as panels of ``PackedProducts/rowBlock`` rows, depth by depth:
/// `values[(r / 4) * K * 4 + d * 4 + r % 4] = op(A)(r, d)`, zero for `r >= M` (`[M' / 4][K][4]`,
/// `M'` = `M` rounded up to a multiple of 4), so one block of the micro-kernel reads its 4 rows as
/// one contiguous stream.
///
/// A 1x1 convolution keeps the panels of its weight with the weight tensor (``of(_:)``), so a
/// model that runs the same layer at every sampling step packs it once; the attention products
/// pack a transposed `A` per call.
final class PackedRowPanels: @unchecked Sendable {
    /// `M`.
    let rows: Int
    /// `K`.
    let depth: Int
    /// `[M' / 4][K][4]`.
    let values: UnsafeMutablePointer<Float>

    /// Packs `op(A)`: `a[r * lda + d]`, or `a[d * lda + r]` when `transposed`.
    init(_ a: UnsafePointer<Float>, transposed: Bool, rows: Int, depth: Int, lda: Int) {
        let block = PackedProducts.rowBlock
        let panels = (rows + block - 1) / block
        self.rows = rows
        self.depth = depth
        let values = HugePageMemory.allocateFloats(panels * depth * block)
        self.values = values
        let (rowStride, depthStride) = transposed ? (1, lda) : (lda, 1)
        parallelFor(panels, minimumChunk: max(1, elementwiseChunk / max(1, depth * block))) { range in
            for panel in range {
                let target = values + panel * depth * block
                for i in 0..<block {
                    let r = panel * block + i
                    guard r < rows else {
                        for d in 0..<depth { target[d * block + i] = 0 }
                        continue
                    }
                    let source = a + r * rowStride
                    for d in 0..<depth { target[d * block + i] = source[d * depthStride] }
                }
            }
        }
    }

    deinit { HugePageMemory.deallocate(values) }

    /// The operand as ``packedGEMM(rows:rowBias:transposeB:n:alpha:b:ldb:accumulate:c:ldc:)`` reads it.
    var operand: PackedGEMMRows {
        let block = PackedProducts.rowBlock
        return PackedGEMMRows(
            base: values, rows: rows, depth: depth, depthStride: block, rowStride: 1, panelStride: depth * block,
            isPadded: true)
    }

    /// The panels of `weight` as an `[O, C]` matrix (`weight` `[O, C, 1, 1]` or `[O, C, 1]`), made
    /// on first use and kept with its storage.
    static func of(_ weight: Tensor) -> PackedRowPanels {
        let rows = weight.shape[0]
        let depth = weight.count / max(1, rows)
        return weight.storage.derived("packed-row-panels") {
            PackedRowPanels(weight.readPointer, transposed: false, rows: rows, depth: depth, lda: depth)
        }
    }
}
