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
    /// Denoising steps (default 20); see `NoiseSchedule.respaced(steps:)` for valid counts.
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
    /// reference; ``Precision/bf16`` is emulated, slower, where the CPU lacks AVX512_BF16, see
    /// `Precision.runsNatively`).
    public var precision: Precision
    /// `true`: a video whose decoding reports errors (damaged frames) is refused; `false`
    /// (default): it is dubbed with a warning giving the count of damaged frames.
    public var strict: Bool
    /// How far a clip's timing may stretch the dub (default ``ClipTimingLimits/standard``);
    /// frame indices (``referenceFrame``, ``frameRange``) must also lie below its
    /// `ClipTimingLimits.maximumFrames`.
    public var timingLimits: ClipTimingLimits

    /// Accepted denoising step counts (the schedule has 1000 timesteps; see
    /// ``NoiseSchedule/respaced(steps:)`` for the counts it accepts).
    package static let stepsRange = 1...1000
    /// Accepted frames per UNet call.
    package static let batchSizeRange = 1...256

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
        frameRate: FrameRateChoice = .model, precision: Precision = .fp32, strict: Bool = false,
        timingLimits: ClipTimingLimits = .standard
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
        self.strict = strict
        self.timingLimits = timingLimits
    }

    private enum CodingKeys: String, CodingKey {
        case referenceMode, referenceFrame, referenceCount, steps, sampler, batchSize, frameRange, raw, faceRegion
        case fit, frameRate, precision, strict, timingLimits
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
            precision: try c.decodeIfPresent(Precision.self, forKey: .precision) ?? defaults.precision,
            strict: try c.decodeIfPresent(Bool.self, forKey: .strict) ?? defaults.strict,
            timingLimits: try c.decodeIfPresent(ClipTimingLimits.self, forKey: .timingLimits) ?? defaults.timingLimits)
    }

    /// Checks the values that do not depend on the inputs, each against its range, with no
    /// arithmetic on a value before it is checked.
    ///
    /// - Throws: ``DubbingError/invalidOption(name:value:reason:)`` naming the option and the
    ///   range.
    package func validate() throws {
        func refuse(_ name: String, _ value: Any, _ reason: String) -> DubbingError {
            .invalidOption(name: name, value: "\(value)", reason: reason)
        }
        try timingLimits.validate()
        let frames = timingLimits.maximumFrames
        guard Self.batchSizeRange.contains(batchSize) else {
            throw refuse("batchSize", batchSize, "expected \(Self.batchSizeRange.lowerBound) to \(Self.batchSizeRange.upperBound)")
        }
        guard (1...frames).contains(referenceCount) else {
            throw refuse("referenceCount", referenceCount, "expected 1 to \(frames)")
        }
        guard (0..<frames).contains(referenceFrame) else {
            throw refuse("referenceFrame", referenceFrame, "expected a frame from 0 to \(frames - 1)")
        }
        guard Self.stepsRange.contains(steps) else {
            throw refuse("steps", steps, "expected \(Self.stepsRange.lowerBound) to \(Self.stepsRange.upperBound)")
        }
        guard (0..<frames).contains(frameRange.start), frameRange.end.map({ $0 > frameRange.start && $0 <= frames }) ?? true
        else {
            throw refuse("frameRange", frameRange, "expected START:END with 0 <= START < END <= \(frames)")
        }
        if let region = faceRegion { try region.validate(name: "faceRegion") }
    }

    /// Checks an output timeline against these options: at most
    /// ``ClipTimingLimits/maximumFrames`` frames, and a ``frameRange`` that starts inside it.
    ///
    /// - Throws: ``TimelineError/tooManyFrames(count:limit:)``,
    ///   ``DubbingError/frameRangeOutsideOutput(range:frames:)``.
    package func checkOutput(_ timeline: OutputTimeline) throws {
        guard timeline.frameCount <= timingLimits.maximumFrames else {
            throw TimelineError.tooManyFrames(count: timeline.frameCount, limit: timingLimits.maximumFrames)
        }
        guard frameRange.start < timeline.frameCount else {
            throw DubbingError.frameRangeOutsideOutput(range: frameRange, frames: timeline.frameCount)
        }
    }
}
