import Foundation

/// Follows the dubbed face through a clip, shot by shot: a square crop per frame that moves
/// with the face and does not jitter, the 68 landmarks, or "no face". Works on any
/// ``FrameSource`` in two streamed passes, keeping per-frame numbers only.
///
/// 1. Detection pass: FaceBoxes on every frame (or every ``FaceTrackingOptions/detectEvery``-th),
///    and the frame's thumbnail difference to the previous frame (``ShotCutDetector``).
/// 2. Shots: a new shot starts at every cut, and where the chosen face's box jumps
///    (``FaceTrackingOptions/faceJump``). The chosen face of a frame is the
///    ``FaceTrackingOptions/choice`` (the widest, or `K`-th from the left), or with a fixed
///    ``FaceTrackingOptions/region`` the face whose centre lies in it, nearest its centre.
/// 3. Crops: within each shot the chosen boxes' centres, widths and heights are smoothed
///    (``TrackSmoothing/locallyLinear(_:radius:)``, radius
///    ``FaceTrackingOptions/regionSmoothingRadius`` for the centre and twice it for the size),
///    never across a shot boundary; the crop is the original's: side
///    `min(max(int(w (1 + r)), int(h (1 + r))), W, H)` with `r` = ``FaceTrackingOptions/expandRatio``,
///    centred on the smoothed centre, moved inside the frame. Short gaps without a detection
///    inside a shot (``FaceTrackingOptions/maximumGap``) are bridged with the smoothed box.
/// 4. Landmark pass: PIPNet on each frame's detected box (or the bridged box)
///    (``FaceAnalyzer``), optionally smoothed within the shot (``LandmarkSmoothing``).
///
/// ```swift
/// let track = try FaceTracker(analyzer: analyzer).track(source)
/// track.region(forFrame: 10)     // FaceRegion? (nil: no face, keep the frame)
/// track.landmarks(forFrame: 10)  // FaceLandmarks? in frame pixels
/// track.shots                    // [Shot]
/// ```
package struct FaceTracker: Sendable {
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
    ///
    /// - Throws: ``FaceTrackingError/invalidOption(_:)`` for bad options,
    ///   ``DubbingError/noFrames(input:)`` for an empty source, ``DubbingError/regionOutsideFrame(region:height:width:)``
    ///   for a fixed region outside the frames, and the source's reading errors. A clip without
    ///   any face is not an error here: every frame is "no face" (see ``FaceTrack/firstFrameWithFace``).
    package func track(_ source: any FrameSource, progress: ProgressHandler? = nil) throws -> FaceTrack {
        try validate()
        let isStill = source is StillFrame
        let pass = try detectionPass(source, limit: isStill ? 1 : Int.max, progress: progress)
        let (height, width) = pass.size
        if let region = options.region, !region.fits(height: height, width: width) {
            throw DubbingError.regionOutsideFrame(region: region, height: height, width: width)
        }
        if options.region == nil && options.speakers == nil {
            try options.choice.checkReachable(in: pass.boxes, input: source.name)
        }
        let chosen = try options.speakers.map { spans in
            try SpeakerSpan.chosenBoxes(
                FaceDetections(boxes: pass.boxes, differences: pass.differences, frameHeight: height, frameWidth: width),
                spans: spans, options: options, input: source.name)
        } ?? pass.boxes.map(choose)
        let shots = shots(chosen: chosen, differences: pass.differences)
        let planned = plan(chosen: chosen, shots: shots, height: height, width: width)

        // Landmark pass.
        var landmarks = [FaceLandmarks?](repeating: nil, count: chosen.count)
        let wanted = planned.indices.filter { planned[$0].box != nil }
        let marking = try ProgressTracker(stage: .faceLandmarks, total: wanted.count, handler: progress)
        if !wanted.isEmpty {
            let reader = try source.makeReader()
            var index = 0
            var done = 0
            while index <= wanted[wanted.count - 1], let frame = try reader.next() {
                if let box = planned[index].box {
                    landmarks[index] = analyzer.faces(in: frame, boxes: [box]).first?.landmarks
                    done += 1
                    try marking.report(completed: done)
                }
                index += 1
            }
        }
        var frames: [TrackedFrame] = []
        for (s, shot) in shots.enumerated() {
            let smoothed = LandmarkSmoothing.smoothed(Array(landmarks[shot.frames]), radius: options.smoothingRadius)
            for (offset, i) in shot.frames.enumerated() {
                let points = smoothed[offset]
                frames.append(
                    TrackedFrame(
                        region: points == nil ? nil : planned[i].region, landmarks: points,
                        box: chosen[i], shot: s))
            }
        }
        return FaceTrack(
            frames: frames, shots: shots, frameHeight: height, frameWidth: width, isStill: isStill,
            fixedRegion: options.region)
    }

    private func validate() throws { try options.validate() }

    /// Pass 1: every frame's boxes and its thumbnail difference to the previous frame.
    private func detectionPass(
        _ source: any FrameSource, limit: Int, progress: ProgressHandler?
    ) throws -> (boxes: [[FaceBox]], differences: [Float], size: (Int, Int)) {
        let pass = try FaceDetections.detect(
            in: source, detector: analyzer.detector, options: options, limit: limit, progress: progress)
        return (pass.boxes, pass.differences, (pass.frameHeight, pass.frameWidth))
    }

    /// The dubbed face among a frame's boxes.
    private func choose(_ boxes: [FaceBox]) -> FaceBox? {
        guard let region = options.region else { return options.choice.pick(boxes) }
        let (left, top) = (Float(region.x), Float(region.y))
        let (right, bottom) = (left + Float(region.size), top + Float(region.size))
        let centre = SIMD2(left + Float(region.size) / 2, top + Float(region.size) / 2)
        return boxes.filter { box in
            let c = box.center
            return c.x >= left && c.x < right && c.y >= top && c.y < bottom
        }.min { a, b in
            let (da, db) = (a.center - centre, b.center - centre)
            return (da * da).sum() < (db * db).sum()
        }
    }

    /// Whether the face moved from `a` to `b` too far for one frame of one shot.
    func jumps(from a: FaceBox, to b: FaceBox) -> Bool { a.jumps(to: b, faceJump: options.faceJump) }

    /// Shots from the cuts and the chosen face's jumps.
    private func shots(chosen: [FaceBox?], differences: [Float]) -> [Shot] {
        let cuts = Set(options.shotCuts.cuts(differences: differences))
        var starts: [(Int, ShotBoundary)] = [(0, .clipStart)]
        var lastFace: FaceBox?
        for t in chosen.indices {
            if t > 0, cuts.contains(t) {
                starts.append((t, .cut))
                lastFace = nil
            }
            guard let box = chosen[t] else { continue }
            if let lastFace, jumps(from: lastFace, to: box) { starts.append((t, .faceJump)) }
            lastFace = box
        }
        return starts.indices.map { k in
            let end = k + 1 < starts.count ? starts[k + 1].0 : chosen.count
            return Shot(frames: starts[k].0..<end, boundary: starts[k].1)
        }
    }

    /// Per frame: the crop region and the box PIPNet runs on (`nil`: no face).
    private func plan(
        chosen: [FaceBox?], shots: [Shot], height: Int, width: Int
    ) -> [(region: FaceRegion?, box: FaceBox?)] {
        var planned = [(region: FaceRegion?, box: FaceBox?)](repeating: (nil, nil), count: chosen.count)
        let radius = options.regionSmoothingRadius
        for shot in shots {
            let boxes = Array(chosen[shot.frames])
            let cx = TrackSmoothing.locallyLinear(boxes.map { $0.map { Double($0.center.x) } }, radius: radius)
            let cy = TrackSmoothing.locallyLinear(boxes.map { $0.map { Double($0.center.y) } }, radius: radius)
            let w = TrackSmoothing.locallyLinear(boxes.map { $0.map { Double($0.width) } }, radius: 2 * radius)
            let h = TrackSmoothing.locallyLinear(boxes.map { $0.map { Double($0.height) } }, radius: 2 * radius)
            let bridged = Self.bridgeable(boxes.map { $0 != nil }, maximumGap: options.maximumGap)
            for (k, i) in shot.frames.enumerated() {
                guard boxes[k] != nil || bridged[k], let x = cx[k], let y = cy[k], let bw = w[k], let bh = h[k] else {
                    continue
                }
                let box = boxes[k] ?? FaceBox(
                    x1: Float(x - bw / 2), y1: Float(y - bh / 2), x2: Float(x + bw / 2), y2: Float(y + bh / 2), score: 0)
                let region = options.region ?? Self.square(
                    centerX: x, centerY: y, width: bw, height: bh, expandRatio: options.expandRatio,
                    frameHeight: height, frameWidth: width)
                planned[i] = (region, box)
            }
        }
        return planned
    }

    /// Which frames without a face lie in a gap of at most `maximumGap` frames between frames
    /// with one.
    static func bridgeable(_ hasFace: [Bool], maximumGap: Int) -> [Bool] {
        var result = [Bool](repeating: false, count: hasFace.count)
        guard maximumGap > 0 else { return result }
        var lastFace: Int?
        for i in hasFace.indices where hasFace[i] {
            if let lastFace, i - lastFace - 1 <= maximumGap {
                for j in (lastFace + 1)..<i { result[j] = true }
            }
            lastFace = i
        }
        return result
    }

    /// The crop square around a (smoothed) face box, as the original's preprocessing sizes it
    /// (``ClipCrop``), centred on the box (rounded) and moved inside the frame.
    package static func square(
        centerX: Double, centerY: Double, width: Double, height: Double, expandRatio: Double,
        frameHeight: Int, frameWidth: Int
    ) -> FaceRegion {
        let expandedWidth = Int(max(0, width * (1 + expandRatio)))
        let expandedHeight = Int(max(0, height * (1 + expandRatio)))
        let side = max(1, min(max(expandedWidth, expandedHeight), frameWidth, frameHeight))
        let x = Int((centerX - Double(side) / 2).rounded())
        let y = Int((centerY - Double(side) / 2).rounded())
        return FaceRegion(x: min(max(x, 0), frameWidth - side), y: min(max(y, 0), frameHeight - side), size: side)
    }
}
