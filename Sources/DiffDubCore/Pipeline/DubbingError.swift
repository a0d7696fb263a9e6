import Foundation

/// A dubbing run cannot go ahead with the inputs it was given.
public enum DubbingError: Error, LocalizedError, CustomStringConvertible, Equatable {
    /// The stage-1 and stage-2 checkpoints disagree on the lip latent width.
    case latentWidthMismatch(renderer: Int, predictor: Int)
    /// A frame is not square and no face region was given.
    case nonSquareFrame(index: Int, height: Int, width: Int)
    /// The face region does not fit the frame.
    case regionOutsideFrame(region: FaceRegion, height: Int, width: Int)
    /// Frames of one clip have different sizes.
    case frameSizeChanged(index: Int, expected: String, found: String)
    /// The landmarks end before frame `frame` (0-based), which is to be dubbed.
    case missingLandmarks(frame: Int, landmarks: Int)
    /// The landmarks cover fewer frames than the run dubs (checked before any model runs).
    case landmarkCountMismatch(input: String, landmarks: Int, frames: Int)
    /// The clip has no frames.
    case noFrames(input: String)
    /// The reference frame index is outside the clip.
    case referenceFrameOutOfRange(index: Int, frames: Int)
    /// The frame range starts at or past the end of the output's `frames` frames.
    case frameRangeOutsideOutput(range: FrameRange, frames: Int)
    /// The video's decoding reported errors in `damagedFrames` frames and the run is strict
    /// (``DubbingOptions/strict``).
    case damagedFrames(input: String, damagedFrames: Int, frames: Int)
    /// An option has a value the run cannot use.
    case invalidOption(name: String, value: String, reason: String)
    /// The noise tensor has the wrong shape.
    case invalidNoise(shape: [Int], expected: [Int])
    /// A face mask could not be built for a frame.
    case maskFailed(frame: Int, reason: String)
    /// Face detection found no face in the reference frame (or, few-shot, in any reference
    /// frame).
    case noFaceInReference(frame: Int, firstWithFace: Int?)
    /// The input ended before frame `frame` (0-based), which the plan reads; it has `frames`.
    case missingFrame(input: String, frame: Int, frames: Int)
    /// The temporary copy of the frames (for reading them out of order) failed.
    case spoolFailed(path: String, reason: String)
    /// An input holds a NaN or an infinity (`index` of the first, in the input's own layout).
    case nonFinite(input: String, index: [Int], value: Float)
    /// Speech features of the wrong shape for the stage-2 model.
    case invalidSpeechFeatures(input: String, shape: [Int], expected: String)
    /// The inputs need a model the session was made without (a face analyzer, a speech encoder).
    case missingModel(String)

    /// One line saying what is wrong.
    public var description: String {
        switch self {
        case .latentWidthMismatch(let renderer, let predictor):
            "the stage-1 checkpoint has \(renderer)-wide lip latents but the stage-2 checkpoint predicts \(predictor)-wide ones: they are not a pair"
        case .nonSquareFrame(let index, let height, let width):
            "frame \(index) is \(width)x\(height), not square: give the square face region (x, y, size) to dub, or let face detection find it"
        case .regionOutsideFrame(let region, let height, let width):
            "the face region \(region) (x,y,size) does not fit the \(width)x\(height) frame"
        case .frameSizeChanged(let index, let expected, let found):
            "frame \(index) is \(found), the clip's frames are \(expected)"
        case .missingLandmarks(let frame, let landmarks):
            "the landmarks cover \(landmarks) frame(s) and end before frame \(frame), which is dubbed"
        case .landmarkCountMismatch(let input, let landmarks, let frames):
            "\(input): \(landmarks) landmark set(s) for \(frames) frame(s) to dub: every dubbed frame needs its landmarks"
        case .noFrames(let input): "\(input): the input has no frames"
        case .referenceFrameOutOfRange(let index, let frames):
            "reference frame \(index) is outside the clip's \(frames) frame(s)"
        case .frameRangeOutsideOutput(let range, let frames):
            "frame range \(range) starts past the output's \(frames) frame\(frames == 1 ? "" : "s") (0 to \(frames - 1)): nothing to render"
        case .damagedFrames(let input, let damaged, let frames):
            "\(input): \(damaged) of \(frames) frames were decoded with errors (damaged video); refused in strict mode"
        case .invalidOption(let name, let value, let reason): "\(name) \(value): \(reason)"
        case .invalidNoise(let shape, let expected): "the noise has shape \(shape), expected \(expected)"
        case .maskFailed(let frame, let reason): "frame \(frame): \(reason)"
        case .noFaceInReference(let frame, let first):
            "no face was found in reference frame \(frame)"
                + (first.map { ": frame \($0) is the first with a face (choose it as the reference frame)" }
                    ?? " nor in any other frame")
        case .missingFrame(let input, let frame, let frames):
            "\(input): the clip has \(frames) frame(s) and ends before frame \(frame)"
        case .spoolFailed(let path, let reason): "\(path): cannot keep the frames for reading out of order: \(reason)"
        case .invalidSpeechFeatures(let input, let shape, let expected):
            "\(input): Hubert features of shape \(shape); expected \(expected)"
        case .missingModel(let what): "the dubbing session has no \(what)"
        case .nonFinite(let input, let index, let value):
            "\(input): element \(index) is \(value) (NaN or infinite values are refused)"
        }
    }

    /// The same line, for `localizedDescription`.
    public var errorDescription: String? { description }
}
