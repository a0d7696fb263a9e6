/// How a block of `C` starts before ``PackedProducts/multiply(depth:a:depthStride:rowStride:b:width:c:ldc:start:scale:)``
/// adds its products: from zero, from one value per row (a bias), or from `C`'s current values
/// (a later depth block of the same sum).
enum PackedBlockStart {
    /// All zero.
    case zero
    /// Row `r` starts at `values[r]` for `r` in `0..<PackedProducts.rowBlock`.
    case rowValues(UnsafePointer<Float>)
    /// Each element starts at its value in `C`.
    case accumulate
}

extension PackedProducts {
    /// `c[r * ldc + j] = scale * (start(r, j) + sum_d a[d * depthStride + r * rowStride] * b[d * width + j])`
    /// for `r` in `0..<rowBlock`, `j` in `0..<width`: ``multiply(depth:a:b:width:c:ldc:)`` with
    /// the rows of `A` at any strides (a packed panel: `depthStride` 4, `rowStride` 1; four rows of
    /// a row-major matrix: `depthStride` 1, `rowStride` its row length), a start value
    /// (``PackedBlockStart``) and a final scale. The sum runs over `d` in increasing order, one
    /// fused multiply-add per term, whatever the strides.
    ///
    /// - Precondition: `width` is 8, 16 or 24.
    @inline(__always)
    static func multiply(
        depth: Int, a: UnsafePointer<Float>, depthStride: Int, rowStride: Int, b: UnsafePointer<Float>, width: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, start: PackedBlockStart, scale: Float
    ) {
        switch width {
        case 24:
            stridedBlock(
                PanelRow24.self, depth: depth, a: a, depthStride: depthStride, rowStride: rowStride, b: b, c: c,
                ldc: ldc, start: start, scale: scale)
        case 16:
            stridedBlock(
                PanelRow16.self, depth: depth, a: a, depthStride: depthStride, rowStride: rowStride, b: b, c: c,
                ldc: ldc, start: start, scale: scale)
        default:
            stridedBlock(
                PanelRow8.self, depth: depth, a: a, depthStride: depthStride, rowStride: rowStride, b: b, c: c,
                ldc: ldc, start: start, scale: scale)
        }
    }

    /// One 4-row block of `C` with rows of type `Row`, kept in registers over the depth loop.
    @inline(never)
    private static func stridedBlock<Row: PanelRow>(
        _: Row.Type, depth: Int, a: UnsafePointer<Float>, depthStride: Int, rowStride: Int, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, start: PackedBlockStart, scale: Float
    ) {
        var (c0, c1, c2, c3): (Row, Row, Row, Row)
        switch start {
        case .zero:
            (c0, c1, c2, c3) = (Row(), Row(), Row(), Row())
        case .rowValues(let values):
            c0 = Row(repeating: values[0])
            c1 = Row(repeating: values[1])
            c2 = Row(repeating: values[2])
            c3 = Row(repeating: values[3])
        case .accumulate:
            c0 = Row(loading: c)
            c1 = Row(loading: c + ldc)
            c2 = Row(loading: c + 2 * ldc)
            c3 = Row(loading: c + 3 * ldc)
        }
        var (p0, p1, p2, p3) = (a, a + rowStride, a + 2 * rowStride, a + 3 * rowStride)
        var pb = b
        for _ in 0..<depth {
            let row = Row(loading: pb)
            c0.add(row, times: p0.pointee)
            c1.add(row, times: p1.pointee)
            c2.add(row, times: p2.pointee)
            c3.add(row, times: p3.pointee)
            p0 += depthStride
            p1 += depthStride
            p2 += depthStride
            p3 += depthStride
            pb += Row.width
        }
        if scale != 1 {
            c0.scale(by: scale)
            c1.scale(by: scale)
            c2.scale(by: scale)
            c3.scale(by: scale)
        }
        c0.store(to: c)
        c1.store(to: c + ldc)
        c2.store(to: c + 2 * ldc)
        c3.store(to: c + 3 * ldc)
    }
}
