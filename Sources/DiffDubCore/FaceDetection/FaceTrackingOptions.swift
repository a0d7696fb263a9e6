/// How faces are found in a clip for dubbing (``ClipFaceTracker``: one crop per clip;
/// ``FaceTracker``: a crop per frame that follows the face through each shot).
public struct FaceTrackingOptions: Sendable, Hashable, Codable {
    /// Which face is dubbed when a frame has several (default: the widest).
    public var choice: FaceChoice = .largest
    /// Expansion ratio of the crop box (0.6, the original's `--expanded_ratio`).
    public var expandRatio: Double = 0.6
    /// Run the detector on every `detectEvery`-th frame only (1 = every frame); frames in
    /// between reuse the last boxes for PIPNet.
    public var detectEvery: Int = 1
    /// Temporal landmark smoothing radius in frames (0 = off); see ``LandmarkSmoothing``.
    /// ``FaceTracker`` never smooths across a shot boundary.
    public var smoothingRadius: Int = 0
    /// A crop region given by the user instead of the automatic one (the same square in
    /// every frame).
    public var region: FaceRegion?

    /// ``FaceTracker``: half-width in frames of the window over which the crop's centre is
    /// smoothed within a shot (a local straight-line fit, so a steady pan is followed without
    /// lag); the crop's size uses twice this radius. 0 = the detected boxes as they are.
    public var regionSmoothingRadius: Int = 6
    /// ``FaceTracker``: how cuts are found from frame differences.
    public var shotCuts = ShotCutDetector()
    /// ``FaceTracker``: a new shot also starts where the chosen face's box jumps between
    /// consecutive frames with a face: its centre moves by more than this fraction of its
    /// width, or its width changes by more than this fraction (0.5: 1.5 times wider or
    /// narrower).
    public var faceJump: Double = 0.5
    /// ``FaceTracker``: frames without a detected face between frames with one, in the same
    /// shot, are bridged (crop and landmarks from the interpolated box) when the gap is at most
    /// this long (a detector miss, which happens at some face positions); longer gaps, and
    /// frames in a shot of their own (a cut to a frame without a face), stay without a face.
    public var maximumGap: Int = 3

    /// ``FaceTracker``: who speaks when (``SpeakerSpan``); when set, the dubbed face is the
    /// named face track of each frame's shot instead of ``choice``, and frames no span covers
    /// are kept unchanged.
    public var speakers: [SpeakerSpan]?

    /// Default options.
    public init() {}

    private enum CodingKeys: String, CodingKey {
        case choice, expandRatio, detectEvery, smoothingRadius, region, regionSmoothingRadius, shotCuts, faceJump,
            maximumGap, speakers
    }

    /// Decodes the options; missing keys keep their defaults (files written before a setting
    /// existed still read).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        choice = try c.decodeIfPresent(FaceChoice.self, forKey: .choice) ?? choice
        expandRatio = try c.decodeIfPresent(Double.self, forKey: .expandRatio) ?? expandRatio
        detectEvery = try c.decodeIfPresent(Int.self, forKey: .detectEvery) ?? detectEvery
        smoothingRadius = try c.decodeIfPresent(Int.self, forKey: .smoothingRadius) ?? smoothingRadius
        region = try c.decodeIfPresent(FaceRegion.self, forKey: .region)
        regionSmoothingRadius = try c.decodeIfPresent(Int.self, forKey: .regionSmoothingRadius) ?? regionSmoothingRadius
        shotCuts = try c.decodeIfPresent(ShotCutDetector.self, forKey: .shotCuts) ?? shotCuts
        faceJump = try c.decodeIfPresent(Double.self, forKey: .faceJump) ?? faceJump
        maximumGap = try c.decodeIfPresent(Int.self, forKey: .maximumGap) ?? maximumGap
        speakers = try c.decodeIfPresent([SpeakerSpan].self, forKey: .speakers)
    }
}
