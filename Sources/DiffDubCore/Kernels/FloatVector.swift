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
