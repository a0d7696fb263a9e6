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

/// The values of a few ``WinogradLines`` at `FloatVector.scalarCount` consecutive positions,
/// one vector per line: what a transform reads and writes at a time.
protocol WinogradVectors {
    /// The vector of line `line`.
    func load(_ line: Int) -> FloatVector
    /// Writes `vector` to line `line`.
    func store(_ vector: FloatVector, _ line: Int)
}

/// All 8 positions from `position` on.
struct WinogradFullVectors: WinogradVectors {
    let lines: WinogradLines
    let position: Int

    @inline(__always)
    func load(_ line: Int) -> FloatVector {
        UnsafePointer(lines.base + (line &* lines.stride &+ position)).loadVector(at: 0)
    }

    @inline(__always)
    func store(_ vector: FloatVector, _ line: Int) {
        (lines.base + (line &* lines.stride &+ position)).storeVector(vector, at: 0)
    }
}

/// The `count < 8` positions from `position` on (the other lanes read as zero and are not
/// written).
struct WinogradPartialVectors: WinogradVectors {
    let lines: WinogradLines
    let position: Int
    let count: Int

    @inline(__always)
    func load(_ line: Int) -> FloatVector {
        var vector = FloatVector()
        for lane in 0..<count { vector[lane] = lines[line, position &+ lane] }
        return vector
    }

    @inline(__always)
    func store(_ vector: FloatVector, _ line: Int) {
        for lane in 0..<count { lines[line, position &+ lane] = vector[lane] }
    }
}

/// The arithmetic of one Winograd `F(m, 3)` algorithm (the correlation of `m` outputs with a
/// 3-tap kernel from `m + 2` inputs); ``WinogradBandConvolution`` nests it into `F(m x m, 3x3)`:
/// `Y = A^T [(G g G^T) * (B^T d B)] A`.
///
/// The transforms are written on vectors (``WinogradVectors``): the same arithmetic, in the same
/// order, for every position of a line, and no run-time overlap checks, so a call on a short
/// run (a panel of 8 to 24 tiles) costs no more per value than one on a long run.
protocol WinogradTransform {
    /// `m`, the side of an output tile; input tiles have `m + 2` (the tile's `alpha`, at most 8).
    static var outputTile: Int { get }
    /// `G (g0, g1, g2)^T`: the `m + 2` interpolated kernel values (the lanes past them are 0), in
    /// double precision (computed once per weight tensor).
    static func transformKernel(_ g0: Double, _ g1: Double, _ g2: Double) -> SIMD8<Double>
    /// `B^T`: `m + 2` lines of `target` from `m + 2` lines of `source`, at 8 positions.
    static func transformInput<Source: WinogradVectors, Target: WinogradVectors>(_ source: Source, into target: Target)
    /// `A^T`: `m` lines of `target` from `m + 2` lines of `source`, at 8 positions, each value
    /// plus `bias`.
    static func transformOutput<Source: WinogradVectors, Target: WinogradVectors>(
        _ source: Source, into target: Target, bias: FloatVector)
}

extension WinogradTransform {
    /// `alpha = m + 2`, the side of an input tile.
    static var inputTile: Int { outputTile + 2 }
    /// The key of the kept weight transform (``TensorStorage/derived(_:make:)``).
    static var weightKey: String { "winogradF\(outputTile)" }

    /// `B^T`: `m + 2` lines of `target` from `m + 2` lines of `source`, `count` positions each.
    @inline(__always)
    static func transformInput(_ source: WinogradLines, into target: WinogradLines, count: Int) {
        let width = FloatVector.scalarCount
        var e = 0
        while e + width <= count {
            transformInput(
                WinogradFullVectors(lines: source, position: e), into: WinogradFullVectors(lines: target, position: e))
            e += width
        }
        if e < count {
            transformInput(
                WinogradPartialVectors(lines: source, position: e, count: count - e),
                into: WinogradPartialVectors(lines: target, position: e, count: count - e))
        }
    }

    /// `A^T`: `m` lines of `target` from `m + 2` lines of `source`, `count` positions each, each
    /// value plus `bias`.
    @inline(__always)
    static func transformOutput(_ source: WinogradLines, into target: WinogradLines, bias: Float, count: Int) {
        let (width, b) = (FloatVector.scalarCount, FloatVector(repeating: bias))
        var e = 0
        while e + width <= count {
            transformOutput(
                WinogradFullVectors(lines: source, position: e), into: WinogradFullVectors(lines: target, position: e),
                bias: b)
            e += width
        }
        if e < count {
            transformOutput(
                WinogradPartialVectors(lines: source, position: e, count: count - e),
                into: WinogradPartialVectors(lines: target, position: e, count: count - e), bias: b)
        }
    }
}
