/// Where the one render loop (``DubbingSession/render(_:from:into:blocks:compute:progress:)``)
/// takes the faces of a plan's frames from.
public enum PlanFrames: Sendable {
    /// The input clip: each output frame's input frame is read in order, its face cropped as the
    /// plan says, and the rendered face pasted back into it (or, with ``DubbingOptions/raw``,
    /// written as rendered). Frames without a face are written unchanged.
    case clip(any FrameSource)
    /// Faces already cut at model resolution (a job's stored plan): the output frames are the
    /// rendered faces. Frames without a face are not written (the store has them already).
    case faces(any PlannedFaceSource)
}

/// The model-resolution faces of a plan's output frames, stored ahead (a job folder's
/// `plan/faces/`), so rendering needs neither the input clip nor the face models.
public protocol PlannedFaceSource: Sendable {
    /// The face of output frame `index` of `plan` (a frame with landmarks in the plan).
    func face(ofFrame index: Int, in plan: DubbingPlan) throws -> FaceFrame
}

/// What one call of the render loop did.
public struct RenderSummary: Sendable, Equatable {
    /// Output frames written.
    public var rendered: Int
    /// Output frames the sink held already (``FrameSink/holdsFrame(_:)``), not rendered again.
    public var skipped: Int

    /// A summary.
    package init(rendered: Int, skipped: Int) {
        self.rendered = rendered
        self.skipped = skipped
    }
}
