import Foundation

/// Every face box of every frame of a clip and the frames' thumbnail differences: the first,
/// streamed pass of face tracking (``FaceTracker``), kept as numbers only. From it
/// ``faceTracks(options:)`` links each face, shot by shot, into a ``FaceBoxTrack``.
package struct FaceDetections: Sendable, Equatable {
    /// Frame `i`'s boxes at index `i` (frames the detector skipped, see
    /// ``FaceTrackingOptions/detectEvery``, repeat the last detected boxes).
    package var boxes: [[FaceBox]]
    /// Frame `i`'s thumbnail difference to frame `i - 1` (0 for frame 0), for ``ShotCutDetector``.
    package var differences: [Float]
    /// Frame height in pixels.
    package var frameHeight: Int
    /// Frame width in pixels.
    package var frameWidth: Int

    /// Detections from their parts (`differences` as long as `boxes`).
    package init(boxes: [[FaceBox]], differences: [Float], frameHeight: Int, frameWidth: Int) {
        precondition(boxes.count == differences.count, "FaceDetections: \(boxes.count) frames, \(differences.count) differences")
        self.boxes = boxes
        self.differences = differences
        self.frameHeight = frameHeight
        self.frameWidth = frameWidth
    }

    /// Frames detected.
    package var frameCount: Int { boxes.count }

    /// Runs `detector` over the frames of `source` (at most `limit`): every
    /// ``FaceTrackingOptions/detectEvery``-th frame, and each frame's thumbnail difference
    /// (``FaceTrackingOptions/shotCuts``).
    ///
    /// - Throws: ``DubbingError/noFrames(input:)`` for an empty source,
    ///   ``DubbingError/frameSizeChanged(index:expected:found:)``, the source's reading errors, and
    ///   `CancellationError` when `progress` asks to stop.
    package static func detect(
        in source: any FrameSource, detector: FaceBoxesDetector, options: FaceTrackingOptions,
        limit: Int = Int.max, progress: ProgressHandler? = nil
    ) throws -> FaceDetections {
        var boxes: [[FaceBox]] = []
        var differences: [Float] = []
        var size: (Int, Int)?
        var previous: [Float] = []
        let known = source.frameCount.map { min($0, limit) }
        // A stream of unknown length reports once, at the end of the pass.
        let detection = try ProgressTracker(stage: .faceDetection, total: known ?? 0, handler: known == nil ? nil : progress)
        let started = Date()
        let reader = try source.makeReader()
        var last: [FaceBox] = []
        while boxes.count < limit, let frame = try reader.next() {
            if let size, size != (frame.height, frame.width) {
                throw DubbingError.frameSizeChanged(
                    index: boxes.count, expected: "\(size.1)x\(size.0)", found: "\(frame.width)x\(frame.height)")
            }
            if size == nil { size = (frame.height, frame.width) }
            if boxes.count % max(1, options.detectEvery) == 0 { last = detector.detect(frame) }
            boxes.append(last)
            let thumbnail = options.shotCuts.thumbnail(of: frame)
            differences.append(previous.isEmpty ? 0 : ShotCutDetector.difference(previous, thumbnail))
            previous = thumbnail
            try detection.report(completed: boxes.count)
        }
        guard let size else { throw DubbingError.noFrames(input: source.name) }
        if known == nil {
            if progress?(
                ProgressReport(
                    stage: .faceDetection, completed: boxes.count, total: boxes.count,
                    elapsed: Date().timeIntervalSince(started))) == .stop {
                throw CancellationError()
            }
        }
        return FaceDetections(boxes: boxes, differences: differences, frameHeight: size.0, frameWidth: size.1)
    }
}

extension FaceBox {
    /// Whether a face moved from `self` to `next` too far for one frame of one shot: its centre
    /// by more than `faceJump` times its width, or its width by more than a factor
    /// `1 + faceJump` (``FaceTrackingOptions/faceJump``).
    package func jumps(to next: FaceBox, faceJump: Double) -> Bool {
        let width = Double(max(self.width, 1))
        let d = next.center - center
        let distance = Double((d * d).sum()).squareRoot()
        let growth = Double(max(next.width, 1)) / width
        return distance > faceJump * width || growth > 1 + faceJump || growth < 1 / (1 + faceJump)
    }
}
