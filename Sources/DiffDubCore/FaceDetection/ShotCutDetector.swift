/// Finds the cuts of an edited clip from how much consecutive frames differ.
///
/// Each frame is reduced to a small grayscale thumbnail (``thumbnail(of:)``: luma
/// `0.299 R + 0.587 G + 0.114 B` averaged over the pixels of each cell of a
/// `thumbnailWidth`-wide grid with the frame's aspect ratio, in [0, 1]); the difference of
/// frames `t - 1` and `t` is the mean absolute difference of their thumbnails
/// (``difference(_:_:)``). Frame `t` starts a new shot when its difference is
/// - at least ``minimumDifference`` (a cut changes much of the picture), and
/// - at least ``ratio`` times the local baseline: the median difference of the frames within
///   ``window`` of `t` but not next to it (at least ``noiseFloor``), so that steady motion (a
///   pan, a speaker who moves) raises the bar and only a spike counts, and the two spikes of a
///   one-frame insert do not hide each other.
///
/// A difference of at least ``certainDifference`` (another picture, not motion) is a cut
/// whatever its neighbours, so that cuts next to each other (a one-frame insert, a flash) are
/// found too. Thumbnails make the measure blind to noise and compression artefacts; the median
/// makes the threshold follow the clip. Only the per-frame differences are kept, never the
/// frames.
package struct ShotCutDetector: Sendable, Hashable, Codable {
    /// Thumbnail width in cells (the height follows the frame's aspect ratio).
    package var thumbnailWidth = 48
    /// Smallest difference that can be a cut (mean absolute luma difference in [0, 1]).
    package var minimumDifference: Float = 0.05
    /// How many times the local baseline a cut's difference must be.
    package var ratio: Float = 3
    /// Half-width in frames of the neighbourhood whose median is the baseline.
    package var window = 12
    /// Smallest baseline (a still shot has differences near 0).
    package var noiseFloor: Float = 0.01
    /// A difference that is a cut whatever the baseline (a quarter of the full luma range on
    /// average: another picture, not motion).
    package var certainDifference: Float = 0.25

    /// The default detector.
    package init() {}

    private enum CodingKeys: String, CodingKey {
        case thumbnailWidth, minimumDifference, ratio, window, noiseFloor, certainDifference
    }

    /// Decodes the settings; missing keys keep their defaults.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        thumbnailWidth = try c.decodeIfPresent(Int.self, forKey: .thumbnailWidth) ?? thumbnailWidth
        minimumDifference = try c.decodeIfPresent(Float.self, forKey: .minimumDifference) ?? minimumDifference
        ratio = try c.decodeIfPresent(Float.self, forKey: .ratio) ?? ratio
        window = try c.decodeIfPresent(Int.self, forKey: .window) ?? window
        noiseFloor = try c.decodeIfPresent(Float.self, forKey: .noiseFloor) ?? noiseFloor
        certainDifference = try c.decodeIfPresent(Float.self, forKey: .certainDifference) ?? certainDifference
    }

    /// A frame's thumbnail (luma in [0, 1], row-major, `thumbnailWidth` wide).
    package func thumbnail(of frame: RGBImage) -> [Float] {
        let (height, width) = (frame.height, frame.width)
        guard height > 0, width > 0 else { return [] }
        let columns = max(1, min(width, thumbnailWidth))
        let rows = max(1, min(height, Int((Double(columns) * Double(height) / Double(width)).rounded())))
        var sums = [Float](repeating: 0, count: rows * columns)
        var counts = [Float](repeating: 0, count: rows * columns)
        frame.pixels.withUnsafeBufferPointer { p in
            for y in 0..<height {
                let row = y * rows / height
                for x in 0..<width {
                    let o = (y * width + x) * 3
                    let luma = 0.299 * Float(p[o]) + 0.587 * Float(p[o + 1]) + 0.114 * Float(p[o + 2])
                    let cell = row * columns + x * columns / width
                    sums[cell] += luma
                    counts[cell] += 1
                }
            }
        }
        return zip(sums, counts).map { $0 / ($1 * 255) }
    }

    /// Mean absolute difference of two thumbnails; 1 (the most) when their sizes differ.
    package static func difference(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count, !a.isEmpty else { return 1 }
        var total: Float = 0
        for i in 0..<a.count { total += abs(a[i] - b[i]) }
        return total / Float(a.count)
    }

    /// The frames that start a new shot, ascending, from `differences[t]` = difference of
    /// frames `t - 1` and `t` (`differences[0]` is ignored).
    package func cuts(differences: [Float]) -> [Int] {
        guard differences.count > 1 else { return [] }
        var cuts: [Int] = []
        for t in 1..<differences.count {
            let d = differences[t]
            guard d >= minimumDifference else { continue }
            let lower = max(1, t - window)
            let upper = min(differences.count - 1, t + window)
            // The frames right next to `t` are left out of its baseline: a one-frame insert (a
            // flash, a blank frame) has two spikes side by side, which must not hide each other.
            var neighbours = (lower...upper).filter { abs($0 - t) > 1 }.map { differences[$0] }
            neighbours.sort()
            let baseline = neighbours.isEmpty ? 0 : neighbours[neighbours.count / 2]
            if d >= certainDifference || d >= ratio * max(baseline, noiseFloor) { cuts.append(t) }
        }
        return cuts
    }
}
