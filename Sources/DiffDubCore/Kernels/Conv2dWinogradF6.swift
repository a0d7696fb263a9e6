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
    static func transformInput<Source: WinogradVectors, Target: WinogradVectors>(_ d: Source, into r: Target) {
        let (d0, d1, d2, d3) = (d.load(0), d.load(1), d.load(2), d.load(3))
        let (d4, d5, d6, d7) = (d.load(4), d.load(5), d.load(6), d.load(7))
        r.store((d0 - d6) + 5.25 * (d4 - d2), 0)
        let even1 = (d2 + d6) - 4.25 * d4
        let odd1 = (d1 + d5) - 4.25 * d3
        r.store(even1 + odd1, 1)
        r.store(even1 - odd1, 2)
        let even2 = (0.25 * d2 + d6) - 1.25 * d4
        let odd2 = (0.5 * d1 + 2 * d5) - 2.5 * d3
        r.store(even2 + odd2, 3)
        r.store(even2 - odd2, 4)
        let even3 = (4 * d2 + d6) - 5 * d4
        let odd3 = (2 * d1 + 0.5 * d5) - 2.5 * d3
        r.store(even3 + odd3, 5)
        r.store(even3 - odd3, 6)
        r.store((d7 - d1) + 5.25 * (d3 - d5), 7)
    }

    @inline(__always)
    static func transformOutput<Source: WinogradVectors, Target: WinogradVectors>(
        _ m: Source, into y: Target, bias b: FloatVector
    ) {
        let (a1, a2, a3, a4, a5, a6) = (m.load(1), m.load(2), m.load(3), m.load(4), m.load(5), m.load(6))
        let (p12, n12, p34, n34, p56, n56) = (a1 + a2, a1 - a2, a3 + a4, a3 - a4, a5 + a6, a5 - a6)
        y.store(m.load(0) + p12 + p34 + p56 + b, 0)
        y.store(n12 + 2 * n34 + 0.5 * n56 + b, 1)
        y.store(p12 + 4 * p34 + 0.25 * p56 + b, 2)
        y.store(n12 + 8 * n34 + 0.125 * n56 + b, 3)
        y.store(p12 + 16 * p34 + 0.0625 * p56 + b, 4)
        y.store(n12 + 32 * n34 + 0.03125 * n56 + m.load(7) + b, 5)
    }
}
