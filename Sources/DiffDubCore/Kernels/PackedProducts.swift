/// Matrix products on operands packed in register-sized panels: the inner loop of the Winograd
/// products (``WinogradBandConvolution``), whose operands the weight and input transforms write
/// in this layout directly, so nothing is copied between the transforms and the arithmetic.
///
/// `C[rows x width] = A * B`, where `A` is a panel of ``rowBlock`` rows stored column by column
/// (`a[depth][rowBlock]`) and `B` a panel of `width` columns stored row by row
/// (`b[depth][width]`); `width` is 8, 16 or 24 (``columnBlock``). The 4 x 24 block of `C` lives
/// in 12 vector registers for the whole depth loop: each step loads 3 vectors of `B`, broadcasts
/// 4 values of `A` and does 12 fused multiply-adds. Nothing is packed per call, and nothing
/// zero-filled: with it the UNet's F(6x6) layers ran 15-25 % faster than with OpenBLAS `sgemm`
/// on the same products (`diffdub-bench convshapes tuned`, Docs/PERFORMANCE.md).
///
/// Only builds with fused multiply-add in vector registers use it (``isAvailable``: arm64, or a
/// build for a chosen CPU, `DIFFDUB_TARGET_CPU`); a portable x86-64 build keeps OpenBLAS, whose
/// kernels are chosen at run time for the CPU at hand.
enum PackedProducts {
    /// Rows of `C` per block (the output channels one panel of `A` holds).
    static let rowBlock = 4
    /// Widest panel of `B` (tiles per block of `C`).
    static let columnBlock = 24
    /// Granularity of panel widths: a panel is 8, 16 or 24 columns wide.
    static let columnGranularity = 8

    /// Whether this build multiplies with the packed kernel rather than OpenBLAS.
    static var isAvailable: Bool {
        #if arch(arm64) || DIFFDUB_TARGET_CPU
            return true
        #else
            return false
        #endif
    }

    /// `c[r * ldc + j] = sum_d a[d * rowBlock + r] * b[d * width + j]` for `r` in
    /// `0..<rowBlock`, `j` in `0..<width` (overwriting `c`).
    ///
    /// - Precondition: `width` is 8, 16 or 24.
    @inline(__always)
    static func multiply(
        depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, width: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        switch width {
        case 24: multiplyBlock(PanelRow24.self, depth: depth, a: a, b: b, c: c, ldc: ldc)
        case 16: multiplyBlock(PanelRow16.self, depth: depth, a: a, b: b, c: c, ldc: ldc)
        default: multiplyBlock(PanelRow8.self, depth: depth, a: a, b: b, c: c, ldc: ldc)
        }
    }

    /// One 4-row block of `C` with rows of type `Row`, kept in registers over the depth loop.
    @inline(never)
    private static func multiplyBlock<Row: PanelRow>(
        _: Row.Type, depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        var (c0, c1, c2, c3) = (Row(), Row(), Row(), Row())
        var (pa, pb) = (a, b)
        for _ in 0..<depth {
            let row = Row(loading: pb)
            c0.add(row, times: pa[0])
            c1.add(row, times: pa[1])
            c2.add(row, times: pa[2])
            c3.add(row, times: pa[3])
            pa += rowBlock
            pb += Row.width
        }
        c0.store(to: c)
        c1.store(to: c + ldc)
        c2.store(to: c + 2 * ldc)
        c3.store(to: c + 3 * ldc)
    }
}

/// A row of a `C` block in vector registers (8, 16 or 24 values).
protocol PanelRow {
    /// Values in the row.
    static var width: Int { get }
    /// All zero.
    init()
    /// Every value `value`.
    init(repeating value: Float)
    /// The `width` values at `source`.
    init(loading source: UnsafePointer<Float>)
    /// `self += row * scale`, lane by lane, fused.
    mutating func add(_ row: Self, times scale: Float)
    /// `self *= factor`, lane by lane.
    mutating func scale(by factor: Float)
    /// Writes the `width` values to `target`.
    func store(to target: UnsafeMutablePointer<Float>)
}

/// 8 values: one vector.
struct PanelRow8: PanelRow {
    var v0 = FloatVector()
    static var width: Int { 8 }
    init() {}
    @inline(__always) init(repeating value: Float) { v0 = FloatVector(repeating: value) }
    @inline(__always) init(loading source: UnsafePointer<Float>) { v0 = source.loadVector(at: 0) }
    @inline(__always) mutating func scale(by factor: Float) { v0 *= factor }
    @inline(__always) mutating func add(_ row: Self, times scale: Float) {
        let s = FloatVector(repeating: scale)
        v0 = multiplyAdd(row.v0, s, v0)
    }
    @inline(__always) func store(to target: UnsafeMutablePointer<Float>) { target.storeVector(v0, at: 0) }
}

/// 16 values: two vectors.
struct PanelRow16: PanelRow {
    var v0 = FloatVector(), v1 = FloatVector()
    static var width: Int { 16 }
    init() {}
    @inline(__always) init(repeating value: Float) { (v0, v1) = (FloatVector(repeating: value), FloatVector(repeating: value)) }
    @inline(__always) mutating func scale(by factor: Float) { (v0, v1) = (v0 * factor, v1 * factor) }
    @inline(__always) init(loading source: UnsafePointer<Float>) {
        (v0, v1) = (source.loadVector(at: 0), source.loadVector(at: 8))
    }
    @inline(__always) mutating func add(_ row: Self, times scale: Float) {
        let s = FloatVector(repeating: scale)
        (v0, v1) = (multiplyAdd(row.v0, s, v0), multiplyAdd(row.v1, s, v1))
    }
    @inline(__always) func store(to target: UnsafeMutablePointer<Float>) {
        target.storeVector(v0, at: 0)
        target.storeVector(v1, at: 8)
    }
}

/// 24 values: three vectors.
struct PanelRow24: PanelRow {
    var v0 = FloatVector(), v1 = FloatVector(), v2 = FloatVector()
    static var width: Int { 24 }
    init() {}
    @inline(__always) init(repeating value: Float) {
        let v = FloatVector(repeating: value)
        (v0, v1, v2) = (v, v, v)
    }
    @inline(__always) mutating func scale(by factor: Float) { (v0, v1, v2) = (v0 * factor, v1 * factor, v2 * factor) }
    @inline(__always) init(loading source: UnsafePointer<Float>) {
        (v0, v1, v2) = (source.loadVector(at: 0), source.loadVector(at: 8), source.loadVector(at: 16))
    }
    @inline(__always) mutating func add(_ row: Self, times scale: Float) {
        let s = FloatVector(repeating: scale)
        (v0, v1, v2) = (multiplyAdd(row.v0, s, v0), multiplyAdd(row.v1, s, v1), multiplyAdd(row.v2, s, v2))
    }
    @inline(__always) func store(to target: UnsafeMutablePointer<Float>) {
        target.storeVector(v0, at: 0)
        target.storeVector(v1, at: 8)
        target.storeVector(v2, at: 16)
    }
}
