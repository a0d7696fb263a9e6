/// Reference lip latents after `reference_encoder`.
///
/// The encoding depends only on the reference latents, so one value serves every Hubert
/// sequence dubbed against the same reference (see ``LipLatentPredictor/encodeReference(_:)``).
package struct EncodedReference: Sendable {
    /// `[B, R, latent]`: one encoded set per sequence, or `B = 1`, one set shared by all.
    package let latents: Tensor

    /// Wraps an encoder output `[B, R, latent]`.
    init(latents: Tensor) { self.latents = latents }

    /// Number of reference sets (1 when shared).
    package var batchSize: Int { latents.shape[0] }

    /// Number of reference latents `R`.
    package var count: Int { latents.shape[1] }
}
