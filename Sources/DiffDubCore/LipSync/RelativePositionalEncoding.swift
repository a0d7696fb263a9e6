import Foundation

/// The sinusoidal relative positional embedding of espnet's `RelPositionalEncoding`
/// (port of `espnet/nets/pytorch_backend/transformer/embedding.py`, "rel_pos").
///
/// For an input of length `L` and width `d` it is the `[1, 2L - 1, d]` table whose row `k`
/// encodes the relative position `p = L - 1 - k` (rows run from `L - 1` down to `-(L - 1)`):
/// `pe[k, 2i] = sin(p * div[i])`, `pe[k, 2i + 1] = cos(p * div[i])`,
/// `div[i] = exp(2i * -(ln 10000 / d))`. Like the original, `div`, `p * div` and their sine and
/// cosine are computed in `Float`. The embedding is not scaled; the input is
/// (by `sqrt(d)`, see ``ConformerEncoder``).
package enum RelativePositionalEncoding {
    /// The `[1, 2 length - 1, width]` table for an input of `length` frames.
    ///
    /// - Precondition: `length >= 1`, `width` even.
    package static func embedding(length: Int, width: Int) -> Tensor {
        precondition(
            length >= 1 && width >= 2 && width % 2 == 0, "relative positions: length \(length), width \(width)")
        let logScale = Float(-(log(10000.0) / Double(width)))
        let frequencies: [Float] = stride(from: 0, to: width, by: 2).map { i in
            exp(Float(i) * logScale)
        }
        var table = [Float](repeating: 0, count: (2 * length - 1) * width)
        for row in 0..<(2 * length - 1) {
            let position = Float(length - 1 - row)
            for (i, frequency) in frequencies.enumerated() {
                let angle = position * frequency
                table[row * width + 2 * i] = sin(angle)
                table[row * width + 2 * i + 1] = cos(angle)
            }
        }
        return Tensor(shape: [1, 2 * length - 1, width], scalars: table)
    }
}
