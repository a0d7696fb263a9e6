/// How the reference lip latents that stage 2 conditions on are chosen (the original's
/// `--one_shot` flag).
public enum ReferenceMode: String, Sendable, CaseIterable, Codable {
    /// One reference frame, its latent repeated ``DubbingOptions/referenceCount`` times.
    case oneShot = "one-shot"
    /// The latents of the first ``DubbingOptions/referenceCount`` frames, cycling through the
    /// clip when it is shorter.
    case fewShot = "few-shot"
}
