/// espnet's conformer `Encoder` with `input_layer = None`, relative positions and post-norm,
/// as the original builds `reference_encoder`, `speech_encoder` and `coarse_decoder` (port of
/// `espnet/nets/pytorch_backend/conformer/encoder.py`).
///
/// Keys: `encoders.0 ... encoders.N-1` (``ConformerBlock``). There is no `after_norm` (espnet
/// only has it with `normalize_before`). On `x` `[B, L, d]`:
/// `x = x * sqrt(d)`, `pos = RelativePositionalEncoding(L, d)` (`[1, 2L - 1, d]`, not scaled),
/// then every block in order.
package struct ConformerEncoder: Sendable {
    /// `encoders.N`.
    package let blocks: [ConformerBlock]
    /// Model width `d`.
    package let width: Int

    /// Binds `blockCount` blocks under `weights` (e.g. the binder of `speech_encoder`).
    package init(_ weights: WeightBinder, blockCount: Int, configuration: LipLatentPredictorConfiguration) throws {
        let encoders = weights.scoped("encoders")
        blocks = try (0..<blockCount).map { index in
            try ConformerBlock(encoders.scoped(String(index)), configuration: configuration)
        }
        width = configuration.latentWidth
    }

    /// `[B, L, d]` -> `[B, L, d]` for any `L >= 1`.
    package func callAsFunction(_ x: Tensor) -> Tensor {
        let positions = RelativePositionalEncoding.embedding(length: x.shape[1], width: width)
        var x = x * Float(width).squareRoot()
        for block in blocks {
            x = block(x, positions: positions)
        }
        return x
    }
}
