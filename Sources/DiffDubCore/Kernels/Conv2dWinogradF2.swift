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
    static func transformInput<Source: WinogradVectors, Target: WinogradVectors>(_ d: Source, into r: Target) {
        let (d1, d2) = (d.load(1), d.load(2))
        r.store(d.load(0) - d2, 0)
        r.store(d1 + d2, 1)
        r.store(d2 - d1, 2)
        r.store(d1 - d.load(3), 3)
    }

    @inline(__always)
    static func transformOutput<Source: WinogradVectors, Target: WinogradVectors>(
        _ m: Source, into y: Target, bias b: FloatVector
    ) {
        let (m1, m2) = (m.load(1), m.load(2))
        y.store(m.load(0) + m1 + m2 + b, 0)
        y.store(m1 - m2 - m.load(3) + b, 1)
    }
}
