/// Concatenation along `axis` (negative counts from the end): every other extent must agree;
/// the result's `axis` extent is the sum of the inputs'.
public func concat(_ tensors: [Tensor], axis: Int) -> Tensor {
    precondition(!tensors.isEmpty, "concat: no tensors")
    let first = tensors[0]
    let axis = resolvedAxis(axis, rank: first.rank, "concat")
    var shape = first.shape
    shape[axis] = 0
    for t in tensors {
        var other = t.shape
        precondition(other.count == first.rank, "concat: shapes \(tensors.map(\.shape)) differ in rank")
        shape[axis] += other[axis]
        other[axis] = first.shape[axis]
        precondition(other == first.shape, "concat: shapes \(tensors.map(\.shape)) differ off axis \(axis)")
    }
    let outer = product(first.shape[..<axis])
    let inner = product(first.shape[(axis + 1)...])
    let (result, y) = makeOutput(shape)
    let outBlock = shape[axis] * inner
    var offset = 0
    for t in tensors {
        let block = t.shape[axis] * inner
        let source = t.readPointer
        let start = offset
        parallelFor(outer, minimumChunk: max(1, elementwiseChunk / max(1, block))) { range in
            for o in range { (y + o * outBlock + start).update(from: source + o * block, count: block) }
        }
        offset += block
    }
    return result
}

/// The elements `range` of `axis` (negative counts from the end) as a contiguous copy:
/// `y[..., i, ...] = x[..., range.lowerBound + i, ...]`.
public func slice(_ x: Tensor, axis: Int, _ range: Range<Int>) -> Tensor {
    let axis = resolvedAxis(axis, rank: x.rank, "slice")
    precondition(
        range.lowerBound >= 0 && range.upperBound <= x.shape[axis],
        "slice: range \(range) out of bounds for axis \(axis) of \(x.shape)")
    var shape = x.shape
    shape[axis] = range.count
    let outer = product(x.shape[..<axis])
    let inner = product(x.shape[(axis + 1)...])
    let (result, y) = makeOutput(shape)
    let block = range.count * inner
    let sourceBlock = x.shape[axis] * inner
    let source = x.readPointer + range.lowerBound * inner
    parallelFor(outer, minimumChunk: max(1, elementwiseChunk / max(1, block))) { rows in
        for o in rows { (y + o * block).update(from: source + o * sourceBlock, count: block) }
    }
    return result
}

/// Axes permuted as a contiguous copy: result axis `i` is source axis `permutation[i]`, so
/// `y.shape[i] = x.shape[permutation[i]]` and `y[i0, i1, ...] = x[j]` with
/// `j[permutation[k]] = i_k`.
public func permuted(_ x: Tensor, _ permutation: [Int]) -> Tensor {
    precondition(
        permutation.count == x.rank && Set(permutation) == Set(0..<x.rank),
        "permuted: \(permutation) is not a permutation of the axes of \(x.shape)")
    let shape = permutation.map { x.shape[$0] }
    if permutation == Array(0..<x.rank) { return x }
    // Source strides in result-axis order.
    var sourceStrides = [Int](repeating: 1, count: x.rank)
    for axis in stride(from: x.rank - 2, through: 0, by: -1) {
        sourceStrides[axis] = sourceStrides[axis + 1] * x.shape[axis + 1]
    }
    let strides = permutation.map { sourceStrides[$0] }
    let (result, y) = makeOutput(shape)
    let px = x.readPointer
    let last = shape.count - 1
    let lastExtent = shape[last]
    let lastStride = strides[last]
    let rows = x.count / max(1, lastExtent)
    parallelFor(rows, minimumChunk: max(1, elementwiseChunk / max(1, lastExtent))) { range in
        for row in range {
            // Source offset of this result row: decompose `row` over the leading result axes.
            var remainder = row
            var offset = 0
            for axis in stride(from: last - 1, through: 0, by: -1) {
                offset += (remainder % shape[axis]) * strides[axis]
                remainder /= shape[axis]
            }
            let target = y + row * lastExtent
            if lastStride == 1 {
                target.update(from: px + offset, count: lastExtent)
            } else {
                for i in 0..<lastExtent { target[i] = px[offset + i * lastStride] }
            }
        }
    }
    return result
}
