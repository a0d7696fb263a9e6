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
    static func transformInput<Source: WinogradVectors, Target: WinogradVectors>(_ d: Source, into r: Target) {
        let (d0, d1, d2, d3, d4, d5) = (d.load(0), d.load(1), d.load(2), d.load(3), d.load(4), d.load(5))
        r.store(4 * d0 - 5 * d2 + d4, 0)
        r.store((d3 + d4) - 4 * (d1 + d2), 1)
        r.store((d4 - d3) + 4 * (d1 - d2), 2)
        r.store((d4 - d2) + 2 * (d3 - d1), 3)
        r.store((d4 - d2) - 2 * (d3 - d1), 4)
        r.store(4 * d1 - 5 * d3 + d5, 5)
    }

    @inline(__always)
    static func transformOutput<Source: WinogradVectors, Target: WinogradVectors>(
        _ m: Source, into y: Target, bias b: FloatVector
    ) {
        let (a1, a2, a3, a4) = (m.load(1), m.load(2), m.load(3), m.load(4))
        let (p12, n12, p34, n34) = (a1 + a2, a1 - a2, a3 + a4, a3 - a4)
        y.store(m.load(0) + p12 + p34 + b, 0)
        y.store(n12 + 2 * n34 + b, 1)
        y.store(p12 + 4 * p34 + b, 2)
        y.store(n12 + 8 * n34 + m.load(5) + b, 3)
    }
}
