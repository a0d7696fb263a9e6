/// The settings of one dubbing run that do not come from files.
public struct DubbingOptions: Sendable {
    /// How reference latents are chosen (default one-shot).
    public var referenceMode: ReferenceMode = .oneShot
    /// The frame whose lip crop gives the one-shot reference latent; it is also the reference
    /// image `x_ref` of every render (default 0; the original picks one at random).
    public var referenceFrame: Int = 0
    /// Number of reference latents stage 2 receives (75 = 3 s at 25 fps, as in training).
    public var referenceCount: Int = 75
    /// Denoising steps (default 20); see ``NoiseSchedule/respaced(steps:)`` for valid counts.
    public var steps: Int = 20
    /// The sampler (default DDIM, as the original).
    public var sampler: any Sampler = DDIMSampler()
    /// Frames rendered per UNet call (default 1).
    public var batchSize: Int = 1
    /// The output frames to render (default all).
    public var frameRange: FrameRange = FrameRange()
    /// `true`: emit the model-resolution frames exactly as the original writes them.
    /// `false` (default): scale each rendered frame back to the input's resolution and replace
    /// only the (feathered) mouth region of the original frame.
    public var raw: Bool = false
    /// The square face region of each frame that is dubbed and pasted back; `nil` for the
    /// whole frame, which must then be square.
    public var faceRegion: FaceRegion?

    /// Default options.
    public init() {}
}
