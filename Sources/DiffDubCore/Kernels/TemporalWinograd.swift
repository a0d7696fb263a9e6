/// Winograd minimal filtering `F(m, r)` along one axis (Toom-Cook): `m` outputs of an
/// `r`-tap correlation `y[k] = sum_a g[a] d[k + a]` from `n = m + r - 1` inputs with `n`
/// products instead of `m r`:
///
/// ```
/// y = A^T [(G g) * (B^T d)]      A^T [m, n], G [n, r], B^T [n, n]
/// ```
///
/// Built from the `n - 1` finite points `0, 1, -1, 2, -2, 1/2, -1/2, ...` and the point at
/// infinity: with `V` the `[n, n]` evaluation matrix of polynomials of degree `n - 1` at those
/// points (the point at infinity giving the leading coefficient), `E_k` the `[n, k]` one of degree
/// `k - 1`, the linear convolution is `s = V^-1 [(E_r g) * (E_m h)]`, and its transpose gives the
/// correlation: `A^T = E_m^T`, `G = E_r`, `B^T = (V^-1)^T` (computed in double precision).
package struct TemporalWinogradTransform: Sendable {
    /// `m`: outputs per group.
    package let outputs: Int
    /// `r`: taps of the filter.
    package let taps: Int
    /// `A^T` `[m, n]`, row-major.
    package let outputMatrix: [Double]
    /// `G` `[n, r]`, row-major.
    package let weightMatrix: [Double]
    /// `B^T` `[n, n]`, row-major.
    package let inputMatrix: [Double]

    /// `n = m + r - 1`: inputs (and products) per group.
    package var inputs: Int { outputs + taps - 1 }

    /// The finite interpolation points, in the order they are taken.
    static let points: [Double] = [0, 1, -1, 2, -2, 0.5, -0.5, 3, -3, 1.0 / 3, -1.0 / 3]

    /// `F(outputs, taps)`.
    ///
    /// - Precondition: `outputs >= 1`, `taps >= 1`, `outputs + taps - 2 <= 11` (the points there are).
    package init(outputs: Int, taps: Int) {
        let n = outputs + taps - 1
        precondition(
            outputs >= 1 && taps >= 1 && n - 1 <= Self.points.count, "TemporalWinogradTransform: F(\(outputs), \(taps))")
        /// `[n, k]`: row `i` the powers `p_i^0 ..< p_i^k`, the last row `[0, ..., 0, 1]`.
        func evaluation(_ k: Int) -> [Double] {
            var matrix = [Double](repeating: 0, count: n * k)
            for i in 0..<(n - 1) {
                var power = 1.0
                for j in 0..<k {
                    matrix[i * k + j] = power
                    power *= Self.points[i]
                }
            }
            matrix[(n - 1) * k + k - 1] = 1
            return matrix
        }
        let inverse = Self.inverted(evaluation(n), size: n)
        let evaluateOutputs = evaluation(outputs)
        var outputMatrix = [Double](repeating: 0, count: outputs * n)
        for i in 0..<n {
            for j in 0..<outputs { outputMatrix[j * n + i] = evaluateOutputs[i * outputs + j] }
        }
        var inputMatrix = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { inputMatrix[j * n + i] = inverse[i * n + j] }
        }
        self.outputs = outputs
        self.taps = taps
        self.outputMatrix = outputMatrix
        self.weightMatrix = evaluation(taps)
        self.inputMatrix = inputMatrix
    }

    /// The inverse of a square matrix (Gauss-Jordan with partial pivoting; the evaluation
    /// matrices here are well conditioned and invertible: distinct points).
    private static func inverted(_ matrix: [Double], size n: Int) -> [Double] {
        var a = matrix
        var inverse = [Double](repeating: 0, count: n * n)
        for i in 0..<n { inverse[i * n + i] = 1 }
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0 * n + column]) < abs(a[$1 * n + column]) } ?? column
            if pivot != column {
                for j in 0..<n {
                    a.swapAt(pivot * n + j, column * n + j)
                    inverse.swapAt(pivot * n + j, column * n + j)
                }
            }
            let scale = 1 / a[column * n + column]
            for j in 0..<n {
                a[column * n + j] *= scale
                inverse[column * n + j] *= scale
            }
            for row in 0..<n where row != column {
                let factor = a[row * n + column]
                guard factor != 0 else { continue }
                for j in 0..<n {
                    a[row * n + j] -= factor * a[column * n + j]
                    inverse[row * n + j] -= factor * inverse[column * n + j]
                }
            }
        }
        return inverse
    }
}
