/// The settings of one dubbing run that do not come from files: everything besides the inputs
/// that changes the output (steps, sampler, precision, fit, frame rate, reference frames, face
/// square, raw output). They are stored in the plan (``DubbingPlan/options``) and so in a job
/// folder, so that every shard of a job renders as a whole dub does. How the machine runs them
/// (threads, memory) is ``ComputeSettings``, which never changes the output.
public struct DubbingOptions: Sendable, Hashable, Codable {
    /// How reference latents are chosen (default one-shot).
    public var referenceMode: ReferenceMode
    /// The frame whose lip crop gives the one-shot reference latent; it is also the reference
    /// image `x_ref` of every render (default 0; the original picks one at random).
    public var referenceFrame: Int
    /// Number of reference latents stage 2 receives (75 = 3 s at 25 fps, as in training).
    public var referenceCount: Int
    /// Denoising steps (default 20); see ``NoiseSchedule/respaced(steps:)`` for valid counts.
    public var steps: Int
    /// The sampler (default DDIM, as the original).
    public var sampler: SamplerKind
    /// Frames rendered per UNet call (default 1, the fastest on CPUs).
    public var batchSize: Int
    /// The output frames to render (default all).
    public var frameRange: FrameRange
    /// `true`: emit the model-resolution frames exactly as the original writes them.
    /// `false` (default): scale each rendered frame back to the input's resolution and replace
    /// only the (feathered) mouth region of the original frame.
    public var raw: Bool
    /// The square face region of each frame that is dubbed and pasted back; `nil` for the
    /// whole frame (which must then be square) or, with face detection, the tracked crops.
    public var faceRegion: FaceRegion?
    /// How long the output runs (default ``TimelineFit/speech``: as long as the speech, a
    /// shorter video running forward and backward; ``TimelineFit/shortest`` is the original's).
    public var fit: TimelineFit
    /// The rate of the output frames (default ``FrameRateChoice/model``, 25 fps as the original).
    public var frameRate: FrameRateChoice
    /// The arithmetic of the renderer's large products (default ``Precision/fp32``, the
    /// reference; ``Precision/bf16`` runs as fp32 where the CPU lacks AVX512_BF16, see
    /// ``Precision/effective``).
    public var precision: Precision

    /// The output frame rate of a run.
    public enum FrameRateChoice: String, Sendable, Hashable, Codable, CaseIterable {
        /// 25 frames per second, one lip latent per frame (the original's; a video is resampled).
        case model
        /// A video's own rate: every source frame is dubbed at its own time, the lip latents
        /// interpolated (inputs without a rate, such as frame folders, stay at 25 fps).
        case source
    }

    /// Options with the given values; the defaults are the original's.
    public init(
        referenceMode: ReferenceMode = .oneShot, referenceFrame: Int = 0, referenceCount: Int = 75,
        steps: Int = 20, sampler: SamplerKind = .ddim, batchSize: Int = 1, frameRange: FrameRange = FrameRange(),
        raw: Bool = false, faceRegion: FaceRegion? = nil, fit: TimelineFit = .speech,
        frameRate: FrameRateChoice = .model, precision: Precision = .fp32
    ) {
        self.precision = precision
        self.referenceMode = referenceMode
        self.referenceFrame = referenceFrame
        self.referenceCount = referenceCount
        self.steps = steps
        self.sampler = sampler
        self.batchSize = batchSize
        self.frameRange = frameRange
        self.raw = raw
        self.faceRegion = faceRegion
        self.fit = fit
        self.frameRate = frameRate
    }

    private enum CodingKeys: String, CodingKey {
        case referenceMode, referenceFrame, referenceCount, steps, sampler, batchSize, frameRange, raw, faceRegion
        case fit, frameRate, precision
    }

    /// Reads options; keys that are absent keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = DubbingOptions()
        self.init(
            referenceMode: try c.decodeIfPresent(ReferenceMode.self, forKey: .referenceMode) ?? defaults.referenceMode,
            referenceFrame: try c.decodeIfPresent(Int.self, forKey: .referenceFrame) ?? defaults.referenceFrame,
            referenceCount: try c.decodeIfPresent(Int.self, forKey: .referenceCount) ?? defaults.referenceCount,
            steps: try c.decodeIfPresent(Int.self, forKey: .steps) ?? defaults.steps,
            sampler: try c.decodeIfPresent(SamplerKind.self, forKey: .sampler) ?? defaults.sampler,
            batchSize: try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? defaults.batchSize,
            frameRange: try c.decodeIfPresent(FrameRange.self, forKey: .frameRange) ?? defaults.frameRange,
            raw: try c.decodeIfPresent(Bool.self, forKey: .raw) ?? defaults.raw,
            faceRegion: try c.decodeIfPresent(FaceRegion.self, forKey: .faceRegion),
            fit: try c.decodeIfPresent(TimelineFit.self, forKey: .fit) ?? defaults.fit,
            frameRate: try c.decodeIfPresent(FrameRateChoice.self, forKey: .frameRate) ?? defaults.frameRate,
            precision: try c.decodeIfPresent(Precision.self, forKey: .precision) ?? defaults.precision)
    }

    /// Checks the values that do not depend on the inputs.
    ///
    /// - Throws: ``DubbingError/invalidOption(name:value:reason:)`` naming the option.
    public func validate() throws {
        func refuse(_ name: String, _ value: Any, _ reason: String) -> DubbingError {
            .invalidOption(name: name, value: "\(value)", reason: reason)
        }
        guard batchSize >= 1 else { throw refuse("batchSize", batchSize, "must be at least 1") }
        guard referenceCount >= 1 else { throw refuse("referenceCount", referenceCount, "must be at least 1") }
        guard referenceFrame >= 0 else { throw refuse("referenceFrame", referenceFrame, "must not be negative") }
        guard steps >= 1 else { throw refuse("steps", steps, "must be at least 1") }
        guard frameRange.start >= 0, frameRange.end.map({ $0 > frameRange.start }) ?? true else {
            throw refuse("frameRange", frameRange, "expected START:END with 0 <= START < END")
        }
        if let region = faceRegion, region.x < 0 || region.y < 0 || region.size <= 0 {
            throw refuse("faceRegion", region, "expected x, y >= 0 and size > 0")
        }
    }
}
