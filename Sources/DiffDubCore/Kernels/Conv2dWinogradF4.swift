/// Winograd `F(4, 3)`, nested into `F(4x4, 3x3)` by ``WinogradBandConvolution``: 6x6 input
/// tiles, 36 products `[O, C] x [C, tiles]` per band of tile rows for 16 outputs per tile, 4x
/// fewer multiplications than im2col (F(2x2, 3x3) saves 2.25x). The interpolation points 0, +-1,
/// +-2 and infinity make rounding errors larger than F(2x2)'s (relative 1e-6 to 1e-5 per layer).
///
/// `G = [[1/4, 0, 0], [-1/6, -1/6, -1/6], [-1/6, 1/6, -1/6], [1/24, 1/12, 1/6],
/// [1/24, -1/12, 1/6], [0, 0, 1]]`,
/// `B^T = [[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0],
/// [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]]`,
/// `A^T = [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]]`.
enum WinogradF4: WinogradTransform {
    static var outputTile: Int { 4 }

    @inline(__always)
    static func transformKernel(_ g0: Double, _ g1: Double, _ g2: Double) -> SIMD8<Double> {
        let (even, odd) = (g0 / 24 + g2 / 6, g1 / 12)
        return SIMD8(g0 / 4, -(g0 + g1 + g2) / 6, -(g0 - g1 + g2) / 6, even + odd, even - odd, g2, 0, 0)
    }

    @inline(__always)
    static func transformInput(_ d: WinogradLines, into r: WinogradLines, count: Int) {
        for e in 0..<count {
            let (d0, d1, d2, d3, d4, d5) = (d[0, e], d[1, e], d[2, e], d[3, e], d[4, e], d[5, e])
            r[0, e] = 4 * d0 - 5 * d2 + d4
            r[1, e] = (d3 + d4) - 4 * (d1 + d2)
            r[2, e] = (d4 - d3) + 4 * (d1 - d2)
            r[3, e] = (d4 - d2) + 2 * (d3 - d1)
            r[4, e] = (d4 - d2) - 2 * (d3 - d1)
            r[5, e] = 4 * d1 - 5 * d3 + d5
        }
    }

    @inline(__always)
    static func transformOutput(_ m: WinogradLines, into y: WinogradLines, bias b: Float, count: Int) {
        for e in 0..<count {
            let (a1, a2, a3, a4) = (m[1, e], m[2, e], m[3, e], m[4, e])
            let (p12, n12, p34, n34) = (a1 + a2, a1 - a2, a3 + a4, a3 - a4)
            y[0, e] = m[0, e] + p12 + p34 + b
            y[1, e] = n12 + 2 * n34 + b
            y[2, e] = p12 + 4 * p34 + b
            y[3, e] = n12 + 8 * n34 + m[5, e] + b
        }
    }
}
