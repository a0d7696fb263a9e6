/// Winograd `F(6, 3)`, nested into `F(6x6, 3x3)` by ``WinogradBandConvolution``: 8x8 input
/// tiles, 64 products `[O, C] x [C, tiles]` per band of tile rows for 36 outputs per tile
/// (1.78 multiplications per output and channel pair against F(4x4)'s 2.25 and im2col's 9), and
/// 64 transformed values per 36 outputs instead of 36 per 16.
///
/// Cook-Toom with the interpolation points 0, 1, -1, 2, -2, 1/2, -1/2 and infinity:
/// `A^T[i, j] = p_j^i` (the last column picks the leading coefficient), the rows of `G` are
/// `(1, p_j, p_j^2) / prod_{l != j} (p_j - p_l)`, and `B^T` is what makes
/// `A^T [(G g) * (B^T d)]` the correlation of `g` with `d`:
///
/// `G = [[1, 0, 0], [-2/9, -2/9, -2/9], [-2/9, 2/9, -2/9], [1/90, 1/45, 2/45],
/// [1/90, -1/45, 2/45], [32/45, 16/45, 8/45], [32/45, -16/45, 8/45], [0, 0, 1]]`,
///
/// `B^T = [[1, 0, -21/4, 0, 21/4, 0, -1, 0], [0, 1, 1, -17/4, -17/4, 1, 1, 0],
/// [0, -1, 1, 17/4, -17/4, -1, 1, 0], [0, 1/2, 1/4, -5/2, -5/4, 2, 1, 0],
/// [0, -1/2, 1/4, 5/2, -5/4, -2, 1, 0], [0, 2, 4, -5/2, -5, 1/2, 1, 0],
/// [0, -2, 4, 5/2, -5, -1/2, 1, 0], [0, -1, 0, 21/4, 0, -21/4, 0, 1]]`,
///
/// `A^T = [[1, 1, 1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 1/2, -1/2, 0], [0, 1, 1, 4, 4, 1/4, 1/4, 0],
/// [0, 1, -1, 8, -8, 1/8, -1/8, 0], [0, 1, 1, 16, 16, 1/16, 1/16, 0],
/// [0, 1, -1, 32, -32, 1/32, -1/32, 1]]`.
///
/// Every pair of points `+-p` shares its even and odd parts, so each transform forms sums and
/// differences first. The larger points (up to 2^5 in `A^T`, 21/4 in `B^T`) make rounding errors
/// larger than F(4x4)'s: relative 1e-5 to 1e-4 per layer in float.
enum WinogradF6: WinogradTransform {
    static var outputTile: Int { 6 }

    @inline(__always)
    static func transformKernel(_ g0: Double, _ g1: Double, _ g2: Double) -> SIMD8<Double> {
        let (even1, even2, even4) = (g0 + g2, g0 + 4 * g2, 4 * g0 + g2)
        return SIMD8(
            g0, -2 * (even1 + g1) / 9, -2 * (even1 - g1) / 9, (even2 + 2 * g1) / 90, (even2 - 2 * g1) / 90,
            8 * (even4 + 2 * g1) / 45, 8 * (even4 - 2 * g1) / 45, g2)
    }

    @inline(__always)
    static func transformInput(_ d: WinogradLines, into r: WinogradLines, count: Int) {
        for e in 0..<count {
            let (d0, d1, d2, d3) = (d[0, e], d[1, e], d[2, e], d[3, e])
            let (d4, d5, d6, d7) = (d[4, e], d[5, e], d[6, e], d[7, e])
            r[0, e] = (d0 - d6) + 5.25 * (d4 - d2)
            let even1 = (d2 + d6) - 4.25 * d4
            let odd1 = (d1 + d5) - 4.25 * d3
            r[1, e] = even1 + odd1
            r[2, e] = even1 - odd1
            let even2 = (0.25 * d2 + d6) - 1.25 * d4
            let odd2 = (0.5 * d1 + 2 * d5) - 2.5 * d3
            r[3, e] = even2 + odd2
            r[4, e] = even2 - odd2
            let even3 = (4 * d2 + d6) - 5 * d4
            let odd3 = (2 * d1 + 0.5 * d5) - 2.5 * d3
            r[5, e] = even3 + odd3
            r[6, e] = even3 - odd3
            r[7, e] = (d7 - d1) + 5.25 * (d3 - d5)
        }
    }

    @inline(__always)
    static func transformOutput(_ m: WinogradLines, into y: WinogradLines, bias b: Float, count: Int) {
        for e in 0..<count {
            let (a1, a2, a3, a4, a5, a6) = (m[1, e], m[2, e], m[3, e], m[4, e], m[5, e], m[6, e])
            let (p12, n12, p34, n34, p56, n56) = (a1 + a2, a1 - a2, a3 + a4, a3 - a4, a5 + a6, a5 - a6)
            y[0, e] = m[0, e] + p12 + p34 + p56 + b
            y[1, e] = n12 + 2 * n34 + 0.5 * n56 + b
            y[2, e] = p12 + 4 * p34 + 0.25 * p56 + b
            y[3, e] = n12 + 8 * n34 + 0.125 * n56 + b
            y[4, e] = p12 + 16 * p34 + 0.0625 * p56 + b
            y[5, e] = n12 + 32 * n34 + 0.03125 * n56 + m[7, e] + b
        }
    }
}
