/// The `F(2x2, 3x3)` transforms of ``WinogradTileConvolution`` in one pass each, 8 tiles at a
/// time, for the bfloat16 products' tile (``Precision/bf16`` runs F(2x2) on most layers).
///
/// The general fused transforms take three passes through small buffers per channel (`B^T`
/// over the rows into lines, the lines split into per-offset columns by 8 x 8 register
/// transposes, `B` over the columns), and the same three back on the output side; with F(2x2)'s
/// adds only, those passes were nearly all of the transforms' time, and the transforms half of
/// a layer (Zen 4, one thread, 128 -> 128 at 256^2 with bfloat16 products: input transform 15
/// ms, output transform 19 ms, products 39 ms). Here a tile's four columns are the even and odd
/// lanes of two overlapping 16-value loads, and the output's two columns are interleaved in
/// registers, so each value is loaded and stored once.
///
/// The arithmetic is ``WinogradF2``'s, in the same order (rows first, then columns; the bias on
/// `M[5]` first), so the results are the general path's to the last bit.
enum WinogradF2Tiles {
    /// `V[k][t] = (B^T d_t B)[k]` for `count` tiles whose 4 x 4 inputs start at column `2 t` of
    /// the 4 lines at `lines` (`stride` apart), written to `target[k * matrixStride + t]`.
    ///
    /// - Precondition: each line is readable up to column `2 * roundedUp(count, 8) + 1` (what
    ///   the last group of 8 tiles loads; columns past `2 * count + 1` do not reach the result).
    @inline(__always)
    static func transformInput(
        lines: UnsafePointer<Float>, stride: Int, count: Int, into target: UnsafeMutablePointer<Float>,
        matrixStride: Int
    ) {
        var t = 0
        while t + 8 <= count {
            transformInput(lines: lines + 2 * t, stride: stride, into: target + t, matrixStride: matrixStride)
            t += 8
        }
        guard t < count else { return }
        // The last tiles through a group of 8 on the stack.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16 * 8) { group in
            let group = group.baseAddress!
            transformInput(lines: lines + 2 * t, stride: stride, into: group, matrixStride: 8)
            for k in 0..<16 {
                (target + k * matrixStride + t).update(from: group + 8 * k, count: count - t)
            }
        }
    }

    /// `V[k]` of 8 tiles from columns `0 ..< 18` of the 4 lines.
    @inline(__always)
    private static func transformInput(
        lines: UnsafePointer<Float>, stride: Int, into target: UnsafeMutablePointer<Float>, matrixStride: Int
    ) {
        // Offsets 0 and 1 of the 8 tiles are the even and odd lanes of columns 0 ..< 16,
        // offsets 2 and 3 those of columns 2 ..< 18.
        func load(_ line: Int, _ offset: Int) -> SIMD16<Float> {
            UnsafeRawPointer(lines + (line * stride + offset)).loadUnaligned(as: SIMD16<Float>.self)
        }
        let (a0, a1, a2, a3) = (load(0, 0), load(1, 0), load(2, 0), load(3, 0))
        let (b0, b1, b2, b3) = (load(0, 2), load(1, 2), load(2, 2), load(3, 2))
        // B^T over the rows (WinogradF2.transformInput), for each of the 4 tile offsets.
        let (e0, e1, e2, e3) = (a0.evenHalf, a1.evenHalf, a2.evenHalf, a3.evenHalf)
        let (o0, o1, o2, o3) = (a0.oddHalf, a1.oddHalf, a2.oddHalf, a3.oddHalf)
        let (f0, f1, f2, f3) = (b0.evenHalf, b1.evenHalf, b2.evenHalf, b3.evenHalf)
        let (p0, p1, p2, p3) = (b0.oddHalf, b1.oddHalf, b2.oddHalf, b3.oddHalf)
        // B over the offsets of combined row i: V[4i + j].
        func columns(_ i: Int, _ c0: FloatVector, _ c1: FloatVector, _ c2: FloatVector, _ c3: FloatVector) {
            let first = target + 4 * i * matrixStride
            first.storeVector(c0 - c2, at: 0)
            first.storeVector(c1 + c2, at: matrixStride)
            first.storeVector(c2 - c1, at: 2 * matrixStride)
            first.storeVector(c1 - c3, at: 3 * matrixStride)
        }
        columns(0, e0 - e2, o0 - o2, f0 - f2, p0 - p2)
        columns(1, e1 + e2, o1 + o2, f1 + f2, p1 + p2)
        columns(2, e2 - e1, o2 - o1, f2 - f1, p2 - p1)
        columns(3, e1 - e3, o1 - o3, f1 - f3, p1 - p3)
    }

    /// Output rows `2 r + (0, 1)` of `count` tiles from their products `M[k][t]` at
    /// `products[k * matrixStride + t]`: `y = A^T M A + bias`, plus `residual` (the same layout
    /// as `output`) when given, written to `values` positions of `row0` (tile `t` at `2 t`,
    /// `2 t + 1`) and of `row1` when it is not nil (the last output row of an odd height).
    ///
    /// - Precondition: `products` is readable up to `15 * matrixStride + roundedUp(count, 8)`.
    @inline(__always)
    static func transformOutput(
        products: UnsafePointer<Float>, matrixStride: Int, count: Int, bias: Float,
        row0: UnsafeMutablePointer<Float>, row1: UnsafeMutablePointer<Float>?,
        residual0: UnsafePointer<Float>?, residual1: UnsafePointer<Float>?, values: Int
    ) {
        let b = FloatVector(repeating: bias)
        var t = 0
        while 2 * t + 16 <= values {
            let (y00, y01, y10, y11) = transformOutput(products: products + t, matrixStride: matrixStride, bias: b)
            let first = 2 * t
            storeInterleaved(y00, y01, at: row0 + first, adding: residual0.map { $0 + first })
            if let row1 { storeInterleaved(y10, y11, at: row1 + first, adding: residual1.map { $0 + first }) }
            t += 8
        }
        guard 2 * t < values else { return }
        // The last tiles through a row pair of 16 on the stack.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 32) { rows in
            let rows = rows.baseAddress!
            let (y00, y01, y10, y11) = transformOutput(products: products + t, matrixStride: matrixStride, bias: b)
            storeInterleaved(y00, y01, at: rows, adding: nil)
            storeInterleaved(y10, y11, at: rows + 16, adding: nil)
            let first = 2 * t
            for i in 0..<(values - first) {
                row0[first + i] = rows[i] + (residual0?[first + i] ?? 0)
                if let row1 { row1[first + i] = rows[16 + i] + (residual1?[first + i] ?? 0) }
            }
        }
    }

    /// `y = A^T M A` of 8 tiles, `(y[0][0], y[0][1], y[1][0], y[1][1])`, with `bias` added to
    /// `M[5]` first (``WinogradTileConvolution``'s order).
    @inline(__always)
    private static func transformOutput(products: UnsafePointer<Float>, matrixStride: Int, bias: FloatVector)
        -> (FloatVector, FloatVector, FloatVector, FloatVector)
    {
        func m(_ k: Int) -> FloatVector { products.loadVector(at: k * matrixStride) }
        // A^T over the rows: partial[r][j] from M[j], M[4 + j], M[8 + j], M[12 + j].
        let (m4, m5, m6, m7) = (m(4), m(5) + bias, m(6), m(7))
        let (m8, m9, m10, m11) = (m(8), m(9), m(10), m(11))
        let (q0, q1, q2, q3) = (m(0) + m4 + m8, m(1) + m5 + m9, m(2) + m6 + m10, m(3) + m7 + m11)
        let (r0, r1, r2, r3) = (m4 - m8 - m(12), m5 - m9 - m(13), m6 - m10 - m(14), m7 - m11 - m(15))
        // A^T over the columns.
        return (q0 + q1 + q2, q1 - q2 - q3, r0 + r1 + r2, r1 - r2 - r3)
    }

    /// `even[i]` and `odd[i]` at `2 i` and `2 i + 1` of `target`, plus `residual` there when
    /// given.
    @inline(__always)
    private static func storeInterleaved(
        _ even: FloatVector, _ odd: FloatVector, at target: UnsafeMutablePointer<Float>, adding residual: UnsafePointer<Float>?
    ) {
        // Splitting 16 values into even and odd lanes moves index bits `b3 b2 b1 b0` to `b0 b3 b2
        // b1`; three splits move them to `b2 b1 b0 b3`, which interleaves the two halves (and
        // compiles to shuffles, where lane-by-lane construction does not).
        func split(_ a: FloatVector, _ b: FloatVector) -> (FloatVector, FloatVector) {
            (FloatVector(lowHalf: a.evenHalf, highHalf: b.evenHalf), FloatVector(lowHalf: a.oddHalf, highHalf: b.oddHalf))
        }
        let (l1, h1) = split(even, odd)
        let (l2, h2) = split(l1, h1)
        var (low, high) = split(l2, h2)
        if let residual {
            low += residual.loadVector(at: 0)
            high += residual.loadVector(at: 8)
        }
        target.storeVector(low, at: 0)
        target.storeVector(high, at: 8)
    }
}
