import Foundation

/// A scalar function that ``mapElements(_:_:)`` applies to every element. Kernels take it as
/// a generic parameter rather than a closure so each loop is specialised and vectorised.
protocol ElementFunction {
    func callAsFunction(_ x: Float) -> Float
}

/// `y = f(x)` element-wise, in parallel chunks.
func mapElements<F: ElementFunction>(_ x: Tensor, _ f: F) -> Tensor {
    let (result, y) = makeUninitializedOutput(x.shape)
    let px = x.readPointer
    parallelFor(x.count, minimumChunk: elementwiseChunk) { range in
        for i in range { y[i] = f(px[i]) }
    }
    return result
}

/// `y = f(x)` element-wise for a function of 8 lanes, in parallel chunks.
func mapLanewise<F: LanewiseFunction>(_ x: Tensor, _ f: F) -> Tensor {
    let (result, y) = makeUninitializedOutput(x.shape)
    let px = x.readPointer
    parallelFor(x.count, minimumChunk: elementwiseChunk) { range in
        applyLanewise(f, from: px + range.lowerBound, to: y + range.lowerBound, count: range.count)
    }
    return result
}

/// SiLU on 8 lanes (``siluLanes(_:)``).
struct SiLULanes: LanewiseFunction {
    @inline(__always) func callAsFunction(_ x: FloatVector) -> FloatVector { siluLanes(x) }
}

/// The logistic sigmoid on 8 lanes (``sigmoidLanes(_:)``).
struct SigmoidLanes: LanewiseFunction {
    @inline(__always) func callAsFunction(_ x: FloatVector) -> FloatVector { sigmoidLanes(x) }
}

struct ReLUFunction: ElementFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { max(x, 0) }
}

struct GELUFunction: ElementFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { 0.5 * x * (1 + fastErf(x * 0.707_106_781_186_547_5)) }
}

/// SiLU (swish): `y = x * sigmoid(x) = x / (1 + exp(-x))`, element-wise.
package func silu(_ x: Tensor) -> Tensor { mapLanewise(x, SiLULanes()) }

/// ReLU: `y = max(x, 0)`, element-wise.
package func relu(_ x: Tensor) -> Tensor { mapElements(x, ReLUFunction()) }

/// Logistic sigmoid: `y = 1 / (1 + exp(-x))`, element-wise.
package func sigmoid(_ x: Tensor) -> Tensor { mapLanewise(x, SigmoidLanes()) }

/// Exact (erf) GELU: `y = x * (1 + erf(x / sqrt 2)) / 2`, element-wise; `erf` is evaluated to
/// 2e-7 absolute (not the tanh approximation).
package func gelu(_ x: Tensor) -> Tensor { mapElements(x, GELUFunction()) }

/// Gated linear unit: splits `axis` (negative counts from the end) into halves `a` (first)
/// and `b` (second) and returns `a * sigmoid(b)`; the axis halves in the result.
package func glu(_ x: Tensor, axis: Int) -> Tensor {
    let axis = resolvedAxis(axis, rank: x.rank, "glu")
    let extent = x.shape[axis]
    precondition(extent % 2 == 0, "glu: axis \(axis) of \(x.shape) has odd extent")
    let half = extent / 2
    let inner = product(x.shape[(axis + 1)...])
    let outer = product(x.shape[..<axis])
    var shape = x.shape
    shape[axis] = half
    let (result, y) = makeOutput(shape)
    let px = x.readPointer
    let block = half * inner
    parallelFor(outer, minimumChunk: max(1, elementwiseChunk / max(1, block))) { range in
        for o in range {
            let a = px + o * 2 * block
            let b = a + block
            let target = y + o * block
            for i in 0..<block { target[i] = a[i] / (1 + fastExp(-b[i])) }
        }
    }
    return result
}
