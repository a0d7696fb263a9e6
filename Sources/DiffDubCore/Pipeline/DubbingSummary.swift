/// What a dubbing run did.
public struct DubbingSummary: Sendable, Equatable {
    /// Lip latents stage 2 produced (25 per second of speech).
    package var latentCount: Int
    /// Frames of the input that were available (`nil` for a portrait).
    package var inputFrameCount: Int?
    /// The output frames rendered.
    public var renderedFrames: Range<Int>
    /// Things the user should know (e.g. the video is shorter than the speech).
    public var warnings: [String]
    /// Output frames passed through unchanged because they have no face (or an empty mouth
    /// mask).
    public var framesWithoutFace: [Int]

    /// What running `plan` in full did.
    package init(plan: DubbingPlan) {
        latentCount = plan.latentCount
        inputFrameCount = plan.inputFrameCount
        renderedFrames = plan.outputFrames
        warnings = plan.warnings
        framesWithoutFace = plan.framesWithoutFace
    }
}
