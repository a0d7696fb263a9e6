import Foundation

/// Numerically stable softmax over the last axis `D`:
/// `y[..., i] = exp(x[..., i] - m) / sum_j exp(x[..., j] - m)` with `m = max_j x[..., j]`.
package func softmax(_ x: Tensor) -> Tensor {
    precondition(x.rank >= 1, "softmax: input must have rank >= 1")
    var result = x
    let features = x.shape[x.rank - 1]
    result.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        softmaxRows(base, rows: x.count / max(1, features), columns: features)
    }
    return result
}

/// Softmax of each of `rows` contiguous rows of `columns` values, in place, rows in parallel.
func softmaxRows(_ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    guard columns > 0 else { return }
    parallelFor(rows, minimumChunk: max(1, elementwiseChunk / columns)) { range in
        for row in range {
            let line = values + row * columns
            var largest = -Float.infinity  // a row of -inf gives NaN, as in PyTorch
            for i in 0..<columns { largest = max(largest, line[i]) }
            var total: Float = 0
            for i in 0..<columns {
                let e = fastExp(line[i] - largest)
                line[i] = e
                total += e
            }
            let inverse = 1 / total
            for i in 0..<columns { line[i] *= inverse }
        }
    }
}
