// Port of torchlm/runtime/_wrappers.py (`RuntimeWrapper.forward`), torchlm 0.1.6.10 (MIT).

/// A face found in an image: the detector's box and PIPNet's 68 landmarks, both in the
/// image's pixels.
public struct DetectedFace: Sendable, Equatable {
    /// The detector's box.
    public var box: FaceBox
    /// The landmarks.
    public var landmarks: FaceLandmarks

    /// A face from its box and landmarks.
    package init(box: FaceBox, landmarks: FaceLandmarks) {
        self.box = box
        self.landmarks = landmarks
    }
}

/// Face detection followed by landmark detection on every face, as `torchlm.runtime.forward`
/// with its defaults (`extend = 0.2`, RGB crops for PIPNet).
///
/// Per box: the corners truncated to integers, `w = x2 - x1 + 1`, `h = y2 - y1 + 1`,
/// `r = ((1 + extend) - 1) / 2` (float64: 0.09999999999999998 for 0.2), then
/// `x1 -= int(w * r)`, `y1 += int(h * r)` (the top edge moves DOWN: the forehead is cut),
/// `x2 += int(w * r)`, `y2 += int(h * r)`, clamped to `[0, W - 1] x [0, H - 1]`; PIPNet runs on
/// rows `y1..<y2`, columns `x1..<x2` and its landmarks are shifted by `(x1, y1)`. A box whose
/// crop is empty gets no landmarks (torchlm would fail on it).
public struct FaceAnalyzer: Sendable {
    /// The face detector.
    package let detector: FaceBoxesDetector
    /// The landmark model.
    package let landmarker: PIPNetLandmarker
    /// Crop extension ratio (0.2).
    package var extend: Double = 0.2

    /// Pairs a detector and a landmarker.
    public init(detector: FaceBoxesDetector, landmarker: PIPNetLandmarker) {
        self.detector = detector
        self.landmarker = landmarker
    }

    /// The faces of an RGB image, in the detector's order (best score first).
    public func faces(in image: RGBImage) -> [DetectedFace] {
        faces(in: image, boxes: detector.detect(image))
    }

    /// Landmarks for given boxes (e.g. boxes detected on an earlier frame).
    package func faces(in image: RGBImage, boxes: [FaceBox]) -> [DetectedFace] {
        boxes.compactMap { box in
            guard let region = cropRegion(of: box, height: image.height, width: image.width) else { return nil }
            let crop = image.cropped(rows: region.rows, columns: region.columns)
            let points = landmarker.landmarks(in: crop)
            let offset = SIMD2(Float(region.columns.lowerBound), Float(region.rows.lowerBound))
            return DetectedFace(box: box, landmarks: points.translated(by: offset))
        }
    }

    /// The crop PIPNet sees for `box` in a `height x width` image, or `nil` when it is empty.
    package func cropRegion(of box: FaceBox, height: Int, width: Int) -> (rows: Range<Int>, columns: Range<Int>)? {
        guard box.x1.isFinite, box.y1.isFinite, box.x2.isFinite, box.y2.isFinite,
            abs(box.x1) < 1e9, abs(box.y1) < 1e9, abs(box.x2) < 1e9, abs(box.y2) < 1e9
        else { return nil }
        var (x1, y1, x2, y2) = (Int(box.x1), Int(box.y1), Int(box.x2), Int(box.y2))
        let w = x2 - x1 + 1
        let h = y2 - y1 + 1
        let ratio = ((1.0 + extend) - 1.0) / 2.0
        x1 -= Int(Double(w) * ratio)
        y1 += Int(Double(h) * ratio)
        x2 += Int(Double(w) * ratio)
        y2 += Int(Double(h) * ratio)
        x1 = max(x1, 0)
        y1 = max(y1, 0)
        x2 = min(x2, width - 1)
        y2 = min(y2, height - 1)
        guard x2 > x1, y2 > y1 else { return nil }
        return (y1..<y2, x1..<x2)
    }
}
