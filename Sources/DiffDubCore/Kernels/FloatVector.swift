/// The vector type of the hand-vectorised element-wise kernels: 8 `Float` lanes (two SSE
/// registers in a portable x86-64 build, one AVX register in a build for AVX2, two NEON
/// registers on arm64). Eight lanes rather than four give each loop iteration two independent
/// dependency chains on SSE.
typealias FloatVector = SIMD8<Float>

extension UnsafePointer where Pointee == Float {
    /// The `FloatVector.scalarCount` values starting `offset` elements past `self` (no
    /// alignment required).
    @inline(__always)
    func loadVector(at offset: Int) -> FloatVector {
        UnsafeRawPointer(self + offset).loadUnaligned(as: FloatVector.self)
    }
}

extension UnsafeMutablePointer where Pointee == Float {
    /// Writes the lanes of `vector` to the `FloatVector.scalarCount` values starting `offset`
    /// elements past `self` (no alignment required).
    @inline(__always)
    func storeVector(_ vector: FloatVector, at offset: Int) {
        UnsafeMutableRawPointer(self + offset).storeBytes(of: vector, as: FloatVector.self)
    }
}

/// `a * b + c` on each lane: one fused multiply-add (one rounding) on arm64 and when the build
/// targets a CPU chosen by Package.swift (`DIFFDUB_TARGET_CPU`: `haswell` by default on x86-64
/// machines with AVX2 and FMA), a multiplication and an addition in a portable x86-64 build,
/// where a fused multiply-add would be a library call per lane. Swift does not contract
/// `a * b + c` into an FMA by itself.
@inline(__always)
func multiplyAdd(_ a: FloatVector, _ b: FloatVector, _ c: FloatVector) -> FloatVector {
    #if arch(arm64) || DIFFDUB_TARGET_CPU
        return c.addingProduct(a, b)
    #else
        return a * b + c
    #endif
}

/// Lane-wise `min(a, b)`, written so that x86 compiles it to one `minps` (`a` where either
/// lane is NaN: NaN in `a` propagates).
@inline(__always)
func lanewiseMinimum(_ a: FloatVector, _ b: FloatVector) -> FloatVector {
    a.replacing(with: b, where: b .< a)
}

/// Lane-wise `max(a, b)`, written so that x86 compiles it to one `maxps` (`a` where either
/// lane is NaN: NaN in `a` propagates).
@inline(__always)
func lanewiseMaximum(_ a: FloatVector, _ b: FloatVector) -> FloatVector {
    a.replacing(with: b, where: b .> a)
}

/// A function of 8 lanes that ``applyLanewise(_:from:to:count:)`` maps over a row.
protocol LanewiseFunction {
    /// The function applied to each lane of `x` independently.
    func callAsFunction(_ x: FloatVector) -> FloatVector
}

/// `target[i] = f(source[i])` for `i` in `0..<count`, `FloatVector.scalarCount` values at a
/// time; the last `count % 8` values go through the same vector code (zero-padded), so every
/// element gets exactly the same arithmetic. `source` and `target` may be the same buffer.
@inline(__always)
func applyLanewise<F: LanewiseFunction>(
    _ f: F, from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int
) {
    let width = FloatVector.scalarCount
    var i = 0
    // One vector per iteration: unrolling to two or four measured no faster (SiLU on SSE is
    // bound by the floating-point pipes, not by latency).
    while i + width <= count {
        target.storeVector(f(source.loadVector(at: i)), at: i)
        i += width
    }
    let rest = count - i
    guard rest > 0 else { return }
    var x = FloatVector(repeating: 0)
    for lane in 0..<rest { x[lane] = source[i + lane] }
    let y = f(x)
    for lane in 0..<rest { target[i + lane] = y[lane] }
}
