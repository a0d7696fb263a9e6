import Foundation

/// `y = f(x)` element-wise, in parallel chunks.
@inline(__always)
func mapElements(_ x: Tensor, _ transform: (Float) -> Float) -> Tensor {
    let (result, y) = makeOutput(x.shape)
    let px = x.readPointer
    parallelFor(x.count, minimumChunk: elementwiseChunk) { range in
        for i in range { y[i] = transform(px[i]) }
    }
    return result
}

/// SiLU (swish): `y = x * sigmoid(x) = x / (1 + exp(-x))`, element-wise.
public func silu(_ x: Tensor) -> Tensor { mapElements(x) { $0 / (1 + exp(-$0)) } }

/// ReLU: `y = max(x, 0)`, element-wise.
public func relu(_ x: Tensor) -> Tensor { mapElements(x) { max($0, 0) } }

/// Logistic sigmoid: `y = 1 / (1 + exp(-x))`, element-wise.
public func sigmoid(_ x: Tensor) -> Tensor { mapElements(x) { 1 / (1 + exp(-$0)) } }

/// Exact GELU: `y = x * (1 + erf(x / sqrt 2)) / 2`, element-wise.
public func gelu(_ x: Tensor) -> Tensor {
    mapElements(x) { 0.5 * $0 * (1 + erf($0 * 0.707_106_781_186_547_5)) }
}

/// Gated linear unit: splits `axis` (negative counts from the end) into halves `a` (first)
/// and `b` (second) and returns `a * sigmoid(b)`; the axis halves in the result.
public func glu(_ x: Tensor, axis: Int) -> Tensor {
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
            for i in 0..<block { target[i] = a[i] / (1 + exp(-b[i])) }
        }
    }
    return result
}
