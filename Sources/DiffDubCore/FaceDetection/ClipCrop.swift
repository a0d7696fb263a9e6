/// The one square crop of a whole clip, as the original's data preparation chooses it
/// (talking_face_preprocessing `extract_cropped_faces.py`): over the frames' chosen face boxes,
/// the median centre x, centre y, width and height (each the upper median,
/// `sorted(v)[n / 2]`), side `min(max(int(w * (1 + r)), int(h * (1 + r))), W, H)` with the
/// expansion ratio `r` (0.6), top-left corner `(int(cx - side / 2), int(cy - side / 2))`; the
/// square is then moved inside the frame as ffmpeg's `crop` filter does.
package enum ClipCrop {
    /// The crop region for `boxes` (one per frame with a face) in a `height x width` clip, or
    /// `nil` without boxes.
    package static func region(boxes: [FaceBox], expandRatio: Double = 0.6, height: Int, width: Int) -> FaceRegion? {
        guard !boxes.isEmpty, height > 0, width > 0 else { return nil }
        func median(_ values: [Float]) -> Double { Double(values.sorted()[values.count / 2]) }
        let cx = median(boxes.map { ($0.x1 + $0.x2) / 2 })
        let cy = median(boxes.map { ($0.y1 + $0.y2) / 2 })
        let w = median(boxes.map(\.width))
        let h = median(boxes.map(\.height))
        let expandedWidth = Int(w * (1 + expandRatio))
        let expandedHeight = Int(h * (1 + expandRatio))
        let side = max(1, min(max(expandedWidth, expandedHeight), width, height))
        var x = Int(cx - Double(side) / 2)
        var y = Int(cy - Double(side) / 2)
        x = min(max(x, 0), width - side)
        y = min(max(y, 0), height - side)
        return FaceRegion(x: x, y: y, size: side)
    }
}
