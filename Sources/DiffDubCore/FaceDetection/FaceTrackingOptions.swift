/// How faces are found in a clip for dubbing (`ClipFaceTracker`: one crop per clip;
/// `FaceTracker`: a crop per frame that follows the face through each shot).
public struct FaceTrackingOptions: Sendable, Hashable, Codable {
    /// Which face is dubbed when a frame has several (default: the widest).
    public var choice: FaceChoice = .largest
    /// Expansion ratio of the crop box (0.6, the original's `--expanded_ratio`).
    public var expandRatio: Double = 0.6
    /// Run the detector on every `detectEvery`-th frame only (1 = every frame); frames in
    /// between reuse the last boxes for PIPNet.
    package var detectEvery: Int = 1
    /// Temporal landmark smoothing radius in frames (0 = off); see ``LandmarkSmoothing``.
    /// ``FaceTracker`` never smooths across a shot boundary.
    package var smoothingRadius: Int = 0
    /// A crop region given by the user instead of the automatic one (the same square in
    /// every frame).
    public var region: FaceRegion?

    /// ``FaceTracker``: half-width in frames of the window over which the crop's centre is
    /// smoothed within a shot (a local straight-line fit, so a steady pan is followed without
    /// lag); the crop's size uses twice this radius. 0 = the detected boxes as they are.
    package var regionSmoothingRadius: Int = 6
    /// ``FaceTracker``: how cuts are found from frame differences.
    package var shotCuts = ShotCutDetector()
    /// ``FaceTracker``: a new shot also starts where the chosen face's box jumps between
    /// consecutive frames with a face: its centre moves by more than this fraction of its
    /// width, or its width changes by more than this fraction (0.5: 1.5 times wider or
    /// narrower).
    package var faceJump: Double = 0.5
    /// ``FaceTracker``: frames without a detected face between frames with one, in the same
    /// shot, are bridged (crop and landmarks from the interpolated box) when the gap is at most
    /// this long (a detector miss, which happens at some face positions); longer gaps, and
    /// frames in a shot of their own (a cut to a frame without a face), stay without a face.
    package var maximumGap: Int = 3

    /// ``FaceTracker``: who speaks when (``SpeakerSpan``); when set, the dubbed face is the
    /// named face track of each frame's shot instead of ``choice``, and frames no span covers
    /// are kept unchanged.
    package var speakers: [SpeakerSpan]?

    /// Default options.
    public init() {}

    /// Accepted ``expandRatio`` values: above -1 (a crop of positive size) and at most this.
    package static let maximumExpandRatio = 10.0
    /// Accepted ``detectEvery`` values.
    package static let detectEveryRange = 1...1000
    /// Accepted ``smoothingRadius``, ``regionSmoothingRadius`` and ``maximumGap`` values (frames).
    package static let radiusRange = 0...1000
    /// Accepted face indices of ``FaceChoice/index(_:)``.
    package static let faceIndexRange = 0...999

    /// Checks every option against its range (finite numbers, radii and counts within their
    /// bounds, the region inside ``FaceRegion/maximumCoordinate``), before any arithmetic on them.
    ///
    /// - Throws: ``FaceTrackingError/invalidOption(_:)``, one line naming the option
    ///   (`FaceTrackingOptions.smoothingRadius`) and the range.
    package func validate() throws {
        func refuse(_ name: String, _ value: Any, _ range: String) -> FaceTrackingError {
            .invalidOption("FaceTrackingOptions.\(name) \(value): expected \(range)")
        }
        if case .index(let k) = choice, !Self.faceIndexRange.contains(k) {
            throw refuse("choice", k, "a face index from 0 to \(Self.faceIndexRange.upperBound)")
        }
        guard expandRatio.isFinite, expandRatio > -1, expandRatio <= Self.maximumExpandRatio else {
            throw refuse("expandRatio", expandRatio, "a number above -1 and at most \(String(format: "%g", Self.maximumExpandRatio))")
        }
        let radii = "\(Self.radiusRange.lowerBound) to \(Self.radiusRange.upperBound)"
        guard Self.detectEveryRange.contains(detectEvery) else {
            throw refuse("detectEvery", detectEvery, "\(Self.detectEveryRange.lowerBound) to \(Self.detectEveryRange.upperBound)")
        }
        guard Self.radiusRange.contains(smoothingRadius) else { throw refuse("smoothingRadius", smoothingRadius, radii) }
        guard Self.radiusRange.contains(regionSmoothingRadius) else {
            throw refuse("regionSmoothingRadius", regionSmoothingRadius, radii)
        }
        guard Self.radiusRange.contains(maximumGap) else { throw refuse("maximumGap", maximumGap, radii) }
        guard faceJump.isFinite, faceJump > 0, faceJump <= 100 else {
            throw refuse("faceJump", faceJump, "a number above 0 and at most 100")
        }
        guard (1...1024).contains(shotCuts.thumbnailWidth) else {
            throw refuse("shotCuts.thumbnailWidth", shotCuts.thumbnailWidth, "1 to 1024")
        }
        guard Self.radiusRange.contains(shotCuts.window), shotCuts.window >= 1 else {
            throw refuse("shotCuts.window", shotCuts.window, "1 to \(Self.radiusRange.upperBound)")
        }
        for (name, value) in [
            ("minimumDifference", shotCuts.minimumDifference), ("ratio", shotCuts.ratio),
            ("noiseFloor", shotCuts.noiseFloor), ("certainDifference", shotCuts.certainDifference),
        ] where !value.isFinite || value < 0 {
            throw refuse("shotCuts.\(name)", value, "a finite number, not negative")
        }
        if let region {
            do { try region.validate(name: "FaceTrackingOptions.region") } catch let error as DubbingError {
                throw FaceTrackingError.invalidOption(error.description)
            }
        }
    }

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
