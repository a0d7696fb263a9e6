/// Every intermediate of one stage-2 forward pass, for parity checks and inspection.
///
/// All tensors carry a batch axis `B` (1 for a single sequence), `T` Hubert frames (50 Hz),
/// `T' = ceil(T / 2)` output frames (25 Hz), `R` reference latents; names follow the
/// original's forward pass.
package struct LipLatentTrace: Sendable {
    /// `sum_l softmax(weights)[l] * hubert[l]`: `[B, T, audio]`.
    package var weightedSum: Tensor
    /// `down_sample_audio_nar` output: `[B, T', latent]`.
    package var downsampled: Tensor
    /// `reference_encoder` output: `[B or 1, R, latent]`.
    package var referenceEncoded: Tensor
    /// `cross_attention` output: `[B, T', latent]`.
    package var crossAttended: Tensor
    /// `speech_encoder` output: `[B, T', latent]`.
    package var speechEncoded: Tensor
    /// `coarse_decoder` output: `[B, T', latent]`.
    package var decoded: Tensor
    /// `out_proj` output, the lip latents: `[B, T', latent]`.
    package var output: Tensor
}
