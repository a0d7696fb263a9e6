/// Concatenation along `axis` (negative counts from the end): every other extent must agree;
/// the result's `axis` extent is the sum of the inputs'.
package func concat(_ tensors: [Tensor], axis: Int) -> Tensor {
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
    let (result, y) = makeUninitializedOutput(shape)
    let outBlock = shape[axis] * inner
    var offset = 0
    for t in tensors {
        let block = t.shape[axis] * inner
        copyRows(outer, of: block, from: t.readPointer, stride: block, to: y + offset, stride: outBlock)
        offset += block
    }
    return result
}

/// The elements `range` of `axis` (negative counts from the end) as a contiguous copy:
/// `y[..., i, ...] = x[..., range.lowerBound + i, ...]`.
package func slice(_ x: Tensor, axis: Int, _ range: Range<Int>) -> Tensor {
    let axis = resolvedAxis(axis, rank: x.rank, "slice")
    precondition(
        range.lowerBound >= 0 && range.upperBound <= x.shape[axis],
        "slice: range \(range) out of bounds for axis \(axis) of \(x.shape)")
    var shape = x.shape
    shape[axis] = range.count
    let outer = product(x.shape[..<axis])
    let inner = product(x.shape[(axis + 1)...])
    let (result, y) = makeUninitializedOutput(shape)
    let block = range.count * inner
    let sourceBlock = x.shape[axis] * inner
    let source = x.readPointer + range.lowerBound * inner
    copyRows(outer, of: block, from: source, stride: sourceBlock, to: y, stride: block)
    return result
}

/// Axes permuted as a contiguous copy: result axis `i` is source axis `permutation[i]`, so
/// `y.shape[i] = x.shape[permutation[i]]` and `y[i0, i1, ...] = x[j]` with
/// `j[permutation[k]] = i_k`.
package func permuted(_ x: Tensor, _ permutation: [Int]) -> Tensor {
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
    let lastStride = strides[shape.count - 1]
    // The result axis that walks the source contiguously (the source's last axis).
    guard lastStride != 1, let unitAxis = permutation.firstIndex(of: x.rank - 1), shape[unitAxis] > 1 else {
        copyRows(from: px, to: y, shape: shape, strides: strides)
        return result
    }
    transposeBlocks(from: px, to: y, shape: shape, strides: strides, unitAxis: unitAxis)
    return result
}

/// Copies the result row by row: each row of the last result axis gathers `shape[last]`
/// source elements `strides[last]` apart.
private func copyRows(from px: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, shape: [Int], strides: [Int]) {
    let last = shape.count - 1
    let lastExtent = shape[last]
    let lastStride = strides[last]
    let rows = Tensor.elementCount(of: shape) / max(1, lastExtent)
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
}

/// A permutation that moves the source's contiguous axis away from the end: for every
/// combination of the other result axes, the plane (result axis `unitAxis`, last result axis)
/// is a matrix transpose, done in 32 x 32 blocks so reads and writes both stay in cache lines.
private func transposeBlocks(
    from px: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, shape: [Int], strides: [Int], unitAxis: Int
) {
    let last = shape.count - 1
    let (rowsExtent, columnsExtent) = (shape[unitAxis], shape[last])
    let columnStride = strides[last]  // source step along the last result axis
    var resultStrides = [Int](repeating: 1, count: shape.count)
    for axis in stride(from: last - 1, through: 0, by: -1) {
        resultStrides[axis] = resultStrides[axis + 1] * shape[axis + 1]
    }
    let rowStride = resultStrides[unitAxis]  // result step along `unitAxis`; the source step is 1
    let outerAxes = (0..<last).filter { $0 != unitAxis }
    let planes = outerAxes.reduce(1) { $0 * shape[$1] }
    let block = 32
    parallelFor(planes, minimumChunk: max(1, elementwiseChunk / max(1, rowsExtent * columnsExtent))) { range in
        for plane in range {
            var remainder = plane
            var source = 0
            var target = 0
            for axis in outerAxes.reversed() {
                let i = remainder % shape[axis]
                remainder /= shape[axis]
                source += i * strides[axis]
                target += i * resultStrides[axis]
            }
            for r0 in stride(from: 0, to: rowsExtent, by: block) {
                let r1 = min(rowsExtent, r0 + block)
                for c0 in stride(from: 0, to: columnsExtent, by: block) {
                    let c1 = min(columnsExtent, c0 + block)
                    for r in r0..<r1 {
                        let output = y + target + r * rowStride
                        let input = px + source + r
                        for c in c0..<c1 { output[c] = input[c * columnStride] }
                    }
                }
            }
        }
    }
}

/// Copies `rows` rows of `count` values from `source` (rows `sourceStride` apart) to `target`
/// (rows `targetStride` apart), split into chunks of about ``elementwiseChunk`` values across
/// the kernel threads whatever the shape: a single large row (a batch of one) is shared too.
private func copyRows(
    _ rows: Int, of count: Int, from source: UnsafePointer<Float>, stride sourceStride: Int,
    to target: UnsafeMutablePointer<Float>, stride targetStride: Int
) {
    guard rows > 0, count > 0 else { return }
    parallelFor(rows * count, minimumChunk: elementwiseChunk) { range in
        var index = range.lowerBound
        while index < range.upperBound {
            let (row, column) = index.quotientAndRemainder(dividingBy: count)
            let run = min(count - column, range.upperBound - index)
            (target + row * targetStride + column).update(from: source + row * sourceStride + column, count: run)
            index += run
        }
    }
}
