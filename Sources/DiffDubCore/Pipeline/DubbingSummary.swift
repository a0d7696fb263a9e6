/// What a dubbing run did.
public struct DubbingSummary: Sendable, Equatable {
    /// Lip latents stage 2 produced (one per 25 fps output frame).
    public var latentCount: Int
    /// Frames of the input that were available (`nil` for a portrait).
    public var inputFrameCount: Int?
    /// The output frames rendered.
    public var renderedFrames: Range<Int>
    /// Things the user should know (e.g. the video is shorter than the speech).
    public var warnings: [String]
    /// Output frames passed through unchanged because face detection found no face in them
    /// (``LandmarkTrack/detected(_:)``).
    public var framesWithoutFace: [Int] = []

    /// A summary with the given values.
    public init(
        latentCount: Int, inputFrameCount: Int?, renderedFrames: Range<Int>, warnings: [String],
        framesWithoutFace: [Int] = []
    ) {
        self.latentCount = latentCount
        self.inputFrameCount = inputFrameCount
        self.renderedFrames = renderedFrames
        self.warnings = warnings
        self.framesWithoutFace = framesWithoutFace
    }
}
