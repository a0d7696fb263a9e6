/// A dubbing run cannot go ahead with the inputs it was given.
public enum DubbingError: Error, CustomStringConvertible, Equatable {
    /// The stage-1 and stage-2 checkpoints disagree on the lip latent width.
    case latentWidthMismatch(renderer: Int, predictor: Int)
    /// A frame is not square and no face region was given.
    case nonSquareFrame(index: Int, height: Int, width: Int)
    /// The face region does not fit the frame.
    case regionOutsideFrame(region: FaceRegion, height: Int, width: Int)
    /// Frames of one clip have different sizes.
    case frameSizeChanged(index: Int, expected: String, found: String)
    /// Fewer landmark sets than frames to render.
    case missingLandmarks(frames: Int, landmarks: Int)
    /// The clip has no frames.
    case noFrames
    /// The reference frame index is outside the clip.
    case referenceFrameOutOfRange(index: Int, frames: Int)
    /// Invalid option value.
    case invalidOption(String)
    /// The noise tensor has the wrong shape.
    case invalidNoise(shape: [Int], expected: [Int])
    /// A face mask could not be built for a frame.
    case maskFailed(frame: Int, reason: String)
    /// A frame without a face region (a face track's frame without a face) was asked for its
    /// face.
    case noFaceRegion(frame: Int)
    /// Face detection found no face in the reference frame (or, few-shot, in any reference
    /// frame).
    case noFaceInReference(frame: Int, firstWithFace: Int?)

    /// One line saying what is wrong.
    public var description: String {
        switch self {
        case .latentWidthMismatch(let renderer, let predictor):
            "the stage-1 checkpoint has \(renderer)-wide lip latents but the stage-2 checkpoint predicts \(predictor)-wide ones: they are not a pair"
        case .nonSquareFrame(let index, let height, let width):
            "frame \(index) is \(width)x\(height), not square: pass the face region with --crop X,Y,SIZE"
        case .regionOutsideFrame(let region, let height, let width):
            "the face region \(region) (x,y,size) does not fit the \(width)x\(height) frame"
        case .frameSizeChanged(let index, let expected, let found):
            "frame \(index) is \(found), the clip's frames are \(expected)"
        case .missingLandmarks(let frames, let landmarks):
            "\(landmarks) landmark set(s) for \(frames) frame(s): every frame needs its landmarks"
        case .noFrames: "the input has no frames"
        case .referenceFrameOutOfRange(let index, let frames):
            "reference frame \(index) is outside the clip's \(frames) frame(s)"
        case .invalidOption(let message): message
        case .invalidNoise(let shape, let expected): "the noise has shape \(shape), expected \(expected)"
        case .maskFailed(let frame, let reason): "frame \(frame): \(reason)"
        case .noFaceRegion(let frame): "frame \(frame) has no face region (no face was tracked in it)"
        case .noFaceInReference(let frame, let first):
            "no face was found in reference frame \(frame)"
                + (first.map { ": pass --reference-frame \($0) (the first frame with a face)" } ?? " nor in any other frame")
        }
    }
}
