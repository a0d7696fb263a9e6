/// Lines of `Float` values `stride` apart in memory: value `position` of line `line` is
/// `base[line * stride + position]`.
///
/// The one-dimensional Winograd transforms map the values at one position of a few lines to the
/// values at the same position of other lines, for every position at once, so that their loops
/// run over contiguous memory (and vectorise).
struct WinogradLines {
    /// Value 0 of line 0.
    let base: UnsafeMutablePointer<Float>
    /// Distance between consecutive lines.
    let stride: Int

    /// Lines in mutable memory.
    @inline(__always)
    init(_ base: UnsafeMutablePointer<Float>, stride: Int) {
        self.base = base
        self.stride = stride
    }

    /// Lines in memory that is only read through them.
    @inline(__always)
    init(reading base: UnsafePointer<Float>, stride: Int) {
        self.init(UnsafeMutablePointer(mutating: base), stride: stride)
    }

    /// Value `position` of line `line` (wrapping index arithmetic: no overflow traps in the inner
    /// loops; the callers keep every index inside their buffers).
    @inline(__always)
    subscript(line: Int, position: Int) -> Float {
        get { base[line &* stride &+ position] }
        nonmutating set { base[line &* stride &+ position] = newValue }
    }
}

/// The arithmetic of one Winograd `F(m, 3)` algorithm (the correlation of `m` outputs with a
/// 3-tap kernel from `m + 2` inputs); ``WinogradBandConvolution`` nests it into `F(m x m, 3x3)`:
/// `Y = A^T [(G g G^T) * (B^T d B)] A`.
protocol WinogradTransform {
    /// `m`, the side of an output tile; input tiles have `m + 2` (the tile's `alpha`, at most 8).
    static var outputTile: Int { get }
    /// `G (g0, g1, g2)^T`: the `m + 2` interpolated kernel values (the lanes past them are 0), in
    /// double precision (computed once per weight tensor).
    static func transformKernel(_ g0: Double, _ g1: Double, _ g2: Double) -> SIMD8<Double>
    /// `B^T`: `m + 2` lines of `target` from `m + 2` lines of `source`, `count` positions each.
    static func transformInput(_ source: WinogradLines, into target: WinogradLines, count: Int)
    /// `A^T`: `m` lines of `target` from `m + 2` lines of `source`, `count` positions each, each
    /// value plus `bias`.
    static func transformOutput(_ source: WinogradLines, into target: WinogradLines, bias: Float, count: Int)
}

extension WinogradTransform {
    /// `alpha = m + 2`, the side of an input tile.
    static var inputTile: Int { outputTile + 2 }
    /// The key of the kept weight transform (``TensorStorage/derived(_:make:)``).
    static var weightKey: String { "winogradF\(outputTile)" }
}
