/// Where a frame of a face track is cropped for SyncNet, as syncnet_python's `run_pipeline.py`
/// (`crop_video`) crops it: the track's box centres and half sides, each smoothed by a median
/// filter of 13 over the track (scipy's `medfilt`, zero-padded at the ends; shrunk to `2 n - 1`
/// for a track of `n < 7` frames, see ``smoothingWindow(frames:)``), then a window
/// `2 s (1 + 0.4)` wide around the centre and from `s` above it to `s (1 + 0.8)` below it
/// (`s`: the half side), taken from the frame padded with the value 110, resized to 224 x 224
/// with OpenCV's bilinear resize.
package struct SyncFaceCrop: Sendable, Equatable {
    /// The smoothed box centre, x.
    package var centerX: Double
    /// The smoothed box centre, y.
    package var centerY: Double
    /// The smoothed half of the box's larger side.
    package var halfSide: Double

    /// A crop from its smoothed centre and half side.
    package init(centerX: Double, centerY: Double, halfSide: Double) {
        self.centerX = centerX
        self.centerY = centerY
        self.halfSide = halfSide
    }

    /// `crop_scale` of `run_pipeline.py`.
    package static let cropScale = 0.4
    /// The value of the padding around the frame.
    package static let paddingValue: UInt8 = 110
    /// The median filter's length.
    package static let medianWindow = 13
    /// The shortest track that is scored: the fewest frames `SyncNetInstance.evaluate` gives a
    /// window (6: it scores `frames - 5` windows of 5 frames).
    package static let minimumTrackLength = SyncNetLipStack.frames + 1

    /// The median filter's length for a track of `frames` frames: ``medianWindow`` (13), or
    /// `2 frames - 1` when that is shorter. With 13, a track of fewer than 7 frames has more
    /// zero padding than values in every window, so scipy's `medfilt` smooths every box to 0
    /// and `run_pipeline.py` fails on the empty crops; `2 n - 1` is the longest window whose
    /// padding never wins the median (from 7 frames on it is 13, as `run_pipeline.py`).
    package static func smoothingWindow(frames: Int) -> Int {
        max(1, min(medianWindow, 2 * frames - 1))
    }

    /// The crop of every box of a track, smoothed over the track.
    package static func crops(of boxes: [FaceBox]) -> [SyncFaceCrop] {
        let window = smoothingWindow(frames: boxes.count)
        let halfSides = medianFiltered(boxes.map { Double(max($0.y2 - $0.y1, $0.x2 - $0.x1)) / 2 }, window: window)
        let xs = medianFiltered(boxes.map { (Double($0.x1) + Double($0.x2)) / 2 }, window: window)
        let ys = medianFiltered(boxes.map { (Double($0.y1) + Double($0.y2)) / 2 }, window: window)
        return boxes.indices.map { SyncFaceCrop(centerX: xs[$0], centerY: ys[$0], halfSide: halfSides[$0]) }
    }

    /// scipy's `signal.medfilt(values, window)`: the median of the `window` values centred on
    /// each (an odd `window`), counting zeros beyond both ends.
    package static func medianFiltered(_ values: [Double], window: Int) -> [Double] {
        precondition(window >= 1 && window % 2 == 1, "SyncFaceCrop.medianFiltered: window \(window)")
        let half = window / 2
        return values.indices.map { i in
            var neighbourhood = (i - half...i + half).map { $0 >= 0 && $0 < values.count ? values[$0] : 0 }
            neighbourhood.sort()
            return neighbourhood[half]
        }
    }

    /// The rows and columns of the frame padded by ``padding`` that the crop takes
    /// (`int()` of the window's edges, as numpy slices them; clamped to the padded frame).
    package func window(frameHeight: Int, frameWidth: Int) -> (rows: Range<Int>, columns: Range<Int>) {
        let s = halfSide
        let scale = Self.cropScale
        let pad = Double(padding)
        let (y, x) = (centerY + pad, centerX + pad)
        let (height, width) = (frameHeight + 2 * padding, frameWidth + 2 * padding)
        func clamped(_ v: Double, _ limit: Int) -> Int { min(max(Int(v), 0), limit) }
        let top = clamped(y - s, height)
        let bottom = max(top, clamped(y + s * (1 + 2 * scale), height))
        let left = clamped(x - s * (1 + scale), width)
        let right = max(left, clamped(x + s * (1 + scale), width))
        return (top..<bottom, left..<right)
    }

    /// The padding around the frame: `int(s (1 + 2 * 0.4))`.
    package var padding: Int { Int(max(0, halfSide * (1 + 2 * Self.cropScale))) }

    /// The 224 x 224 crop of `frame` (an empty window, from a box under a pixel wide, gives the
    /// padding value throughout).
    package func image(of frame: RGBImage) -> RGBImage {
        let side = SyncNetLipStack.side
        let (rows, columns) = window(frameHeight: frame.height, frameWidth: frame.width)
        guard !rows.isEmpty, !columns.isEmpty else {
            return RGBImage(height: side, width: side, red: Self.paddingValue, green: Self.paddingValue, blue: Self.paddingValue)
        }
        var pixels = [UInt8](repeating: Self.paddingValue, count: rows.count * columns.count * 3)
        let pad = padding
        pixels.withUnsafeMutableBufferPointer { out in
            frame.pixels.withUnsafeBufferPointer { source in
                for (r, row) in rows.enumerated() {
                    let y = row - pad
                    guard y >= 0 && y < frame.height else { continue }
                    let x0 = max(columns.lowerBound - pad, 0)
                    let x1 = min(columns.upperBound - pad, frame.width)
                    guard x0 < x1 else { continue }
                    let destination = (r * columns.count + (x0 + pad - columns.lowerBound)) * 3
                    let start = (y * frame.width + x0) * 3
                    for k in 0..<((x1 - x0) * 3) { out[destination + k] = source[start + k] }
                }
            }
        }
        return RGBImage(height: rows.count, width: columns.count, pixels: pixels).resizedBilinear(height: side, width: side)
    }
}
