/// Winograd `F(2, 3)`, nested into `F(2x2, 3x3)` by ``WinogradBandConvolution``: 4x4 input
/// tiles, 16 products `[O, C] x [C, tiles]` per band of tile rows for 4 outputs per tile, 2.25x
/// fewer multiplications than im2col. The transforms only use 0, +-1 and +-1/2, so rounding
/// stays close to the direct sum's (relative differences of about 1e-7 in the tests).
///
/// `G = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]]`,
/// `B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]`,
/// `A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]`.
enum WinogradF2: WinogradTransform {
    static var outputTile: Int { 2 }

    @inline(__always)
    static func transformKernel(_ g0: Double, _ g1: Double, _ g2: Double) -> SIMD8<Double> {
        SIMD8(g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2, 0, 0, 0, 0)
    }

    @inline(__always)
    static func transformInput(_ d: WinogradLines, into r: WinogradLines, count: Int) {
        for e in 0..<count {
            let (d1, d2) = (d[1, e], d[2, e])
            r[0, e] = d[0, e] - d2
            r[1, e] = d1 + d2
            r[2, e] = d2 - d1
            r[3, e] = d1 - d[3, e]
        }
    }

    @inline(__always)
    static func transformOutput(_ m: WinogradLines, into y: WinogradLines, bias b: Float, count: Int) {
        for e in 0..<count {
            let (m1, m2) = (m[1, e], m[2, e])
            y[0, e] = m[0, e] + m1 + m2 + b
            y[1, e] = m1 - m2 - m[3, e] + b
        }
    }
}
