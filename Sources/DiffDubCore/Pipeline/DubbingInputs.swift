/// The per-clip inputs of a dub, as values: what ``DubbingSession/prepare(_:options:compute:progress:)``
/// turns into a ``DubbingPlan``. DiffDubIO's `DubbingRequest` reads them from files.
public struct DubbingInputs: Sendable {
    /// Where the 68 landmarks of every frame come from.
    public enum Landmarks: Sendable {
        /// Landmarks given for the frames (read from a file, or computed elsewhere); `name`
        /// names them in messages (a path).
        case track(LandmarkTrack, name: String)
        /// Found in the frames by the session's face analyzer (FaceBoxesV2 + PIPNet) and tracked
        /// through the clip, shot by shot; ``DubbingOptions/faceRegion`` fixes the square.
        case detect(FaceTrackingOptions)
    }

    /// The speech stage 2 follows.
    public enum Speech: Sendable {
        /// Hubert features `[layers, T, A]` or `[1, layers, T, A]` (50 Hz); `name` names them in
        /// messages (a path).
        case features(Tensor, name: String)
        /// Mono samples in [-1, 1] at `sampleRate`, turned into features by the session's speech
        /// encoder (chinese-hubert-large).
        case waveform(samples: [Float], sampleRate: Int, name: String)
    }

    /// The clip to dub (a ``StillFrame`` for a portrait).
    public var frames: any FrameSource
    /// The rate `frames` are read at (a video's), for ``DubbingOptions/FrameRateChoice/source``;
    /// `nil` for inputs without one (frame folders, portraits).
    public var frameRate: FrameRate?
    /// The landmarks.
    public var landmarks: Landmarks
    /// The speech.
    public var speech: Speech
    /// `x_T` `[1, 3, S, S]` (or `[3, S, S]`), one noise image shared by all frames; `nil`:
    /// standard-normal noise from ``noiseSeed``.
    public var noise: Tensor?
    /// The seed of the noise when ``noise`` is `nil` (`GaussianNoise`).
    public var noiseSeed: UInt64
    /// What reading the inputs found that the user should know (damaged video frames); they
    /// lead the plan's ``DubbingPlan/warnings``.
    package var warnings: [String]

    /// Inputs with the given values; the noise defaults to seed 0.
    public init(
        frames: any FrameSource, frameRate: FrameRate? = nil, landmarks: Landmarks, speech: Speech,
        noise: Tensor? = nil, noiseSeed: UInt64 = 0, warnings: [String] = []
    ) {
        self.warnings = warnings
        self.frames = frames
        self.frameRate = frameRate
        self.landmarks = landmarks
        self.speech = speech
        self.noise = noise
        self.noiseSeed = noiseSeed
    }
}
