import Foundation

/// The faces of a clip, ready for ``Dubber/dub(frames:landmarks:hubert:noise:options:sink:progress:)``.
package struct ClipFaces: Sendable {
    /// The square region dubbed in every frame.
    package var region: FaceRegion
    /// The landmarks of each frame (in frame pixels), `nil` where no face was found in the
    /// region.
    package var landmarks: [FaceLandmarks?]
    /// The chosen face box of each frame, if any.
    package var boxes: [FaceBox?]
    /// Whether the input is a still image (its track is ``LandmarkTrack/fixed(_:)``).
    package var isStill: Bool

    /// The frames without a face.
    package var framesWithoutFace: [Int] { landmarks.indices.filter { landmarks[$0] == nil } }

    /// The landmark track for the dubber.
    package var track: LandmarkTrack {
        if isStill, let first = landmarks.first, let points = first { return .fixed(points) }
        return .detected(landmarks)
    }
}

/// Errors of face tracking.
package enum FaceTrackingError: LocalizedError, CustomStringConvertible, Equatable {
    /// No frame of the input has a face.
    case noFace(input: String)
    /// Invalid option.
    case invalidOption(String)
    /// Face `index` (counted from the left) was chosen, but no frame of `input` has more than
    /// `mostFaces` faces.
    case faceIndexOutOfRange(input: String, index: Int, mostFaces: Int)

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// One line naming the input.
    package var description: String {
        switch self {
        case .noFace(let input): "\(input): no face was found in any frame"
        case .invalidOption(let message): message
        case .faceIndexOutOfRange(let input, let index, let most):
            "FaceTrackingOptions.choice \(index): \(input) has at most \(most) face\(most == 1 ? "" : "s") in a frame "
                + (most == 1 ? "(face 0)" : "(faces 0 to \(most - 1), counted from the left)")
        }
    }
}

/// Finds the dubbed face in every frame of a clip: two passes over the frames.
/// 1. FaceBoxes on every frame (or every ``FaceTrackingOptions/detectEvery``-th), the chosen
///    face per frame (``FaceChoice``), and from those boxes the clip's crop (``ClipCrop``) unless
///    a region is given;
/// 2. per frame, the box whose centre lies in the crop, nearest its centre, and PIPNet on it
///    (``FaceAnalyzer``); optional smoothing (``LandmarkSmoothing``).
package struct ClipFaceTracker: Sendable {
    /// Detector and landmark model.
    package let analyzer: FaceAnalyzer
    /// Options.
    package var options: FaceTrackingOptions

    /// A tracker.
    package init(analyzer: FaceAnalyzer, options: FaceTrackingOptions = FaceTrackingOptions()) {
        self.analyzer = analyzer
        self.options = options
    }

    /// Tracks the face through `source` (a still image counts as one frame).
    package func track(_ source: any FrameSource, progress: ProgressHandler? = nil) throws -> ClipFaces {
        try options.validate()
        let isStill = source is StillFrame
        let limit = isStill ? 1 : Int.max

        // Pass 1: boxes.
        var allBoxes: [[FaceBox]] = []
        var size: (height: Int, width: Int)?
        // A stream of unknown length reports once, at the end of the pass.
        let known = source.frameCount.map { min($0, limit) }
        let detection = try ProgressTracker(stage: .faceDetection, total: known ?? 0, handler: known == nil ? nil : progress)
        let started = Date()
        do {
            let reader = try source.makeReader()
            var last: [FaceBox] = []
            while allBoxes.count < limit, let frame = try reader.next() {
                if size == nil { size = (frame.height, frame.width) }
                if allBoxes.count % options.detectEvery == 0 { last = analyzer.detector.detect(frame) }
                allBoxes.append(last)
                try detection.report(completed: allBoxes.count)
            }
        }
        if known == nil {
            if progress?(
                ProgressReport(
                    stage: .faceDetection, completed: allBoxes.count, total: allBoxes.count,
                    elapsed: Date().timeIntervalSince(started))) == .stop {
                throw CancellationError()
            }
        }
        guard let size else { throw DubbingError.noFrames(input: source.name) }
        let chosen = allBoxes.compactMap { options.choice.pick($0) }
        if options.region == nil { try options.choice.checkReachable(in: allBoxes, input: source.name) }
        guard let region = options.region ?? ClipCrop.region(
            boxes: chosen, expandRatio: options.expandRatio, height: size.height, width: size.width)
        else { throw FaceTrackingError.noFace(input: source.name) }

        // Pass 2: landmarks of the face in the region.
        let centre = SIMD2(Float(region.x) + Float(region.size) / 2, Float(region.y) + Float(region.size) / 2)
        var boxes: [FaceBox?] = []
        var landmarks: [FaceLandmarks?] = []
        let marking = try ProgressTracker(stage: .faceLandmarks, total: allBoxes.count, handler: progress)
        let reader = try source.makeReader()
        while boxes.count < allBoxes.count, let frame = try reader.next() {
            let inside = allBoxes[boxes.count].filter { box in
                let c = box.center
                return c.x >= Float(region.x) && c.x < Float(region.x + region.size) && c.y >= Float(region.y)
                    && c.y < Float(region.y + region.size)
            }
            let box = inside.min { a, b in
                let (da, db) = (a.center - centre, b.center - centre)
                return (da * da).sum() < (db * db).sum()
            }
            let face = box.flatMap { analyzer.faces(in: frame, boxes: [$0]).first }
            boxes.append(face?.box)
            landmarks.append(face?.landmarks)
            try marking.report(completed: boxes.count)
        }
        return ClipFaces(
            region: region, landmarks: LandmarkSmoothing.smoothed(landmarks, radius: options.smoothingRadius),
            boxes: boxes, isStill: isStill)
    }
}
