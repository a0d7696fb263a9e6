/// The 68 facial landmarks of one face in the iBUG-300W order (0-16 jaw, 17-26 eyebrows,
/// 27-35 nose, 36-47 eyes, 48-67 mouth), in pixel coordinates of the image they were found in
/// (`x` = column, `y` = row, floats).
public struct FaceLandmarks: Sendable, Hashable, Codable {
    /// Number of points (68).
    package static let count = 68

    /// The points, in iBUG-300W order.
    public private(set) var points: [SIMD2<Float>]

    /// Landmarks from 68 points.
    ///
    /// - Precondition: `points.count == 68`.
    public init(points: [SIMD2<Float>]) {
        precondition(
            points.count == FaceLandmarks.count,
            "FaceLandmarks: \(points.count) points, expected \(FaceLandmarks.count)")
        self.points = points
    }

    /// Landmarks from 136 interleaved values `x0, y0, x1, y1, ...` (a `[68, 2]` array).
    ///
    /// - Precondition: `values.count == 136`.
    package init(interleaved values: [Float]) {
        precondition(
            values.count == 2 * FaceLandmarks.count,
            "FaceLandmarks: \(values.count) values, expected \(2 * FaceLandmarks.count)")
        self.init(points: (0..<FaceLandmarks.count).map { SIMD2(values[2 * $0], values[2 * $0 + 1]) })
    }

    /// Point `index` (0-based, iBUG-300W numbering).
    package subscript(index: Int) -> SIMD2<Float> {
        get { points[index] }
        set { points[index] = newValue }
    }

    /// The points as 136 interleaved values `x0, y0, x1, y1, ...`.
    package var interleaved: [Float] { points.flatMap { [$0.x, $0.y] } }

    /// The landmarks moved to an image resized from `sourceSize` to `targetSize` pixels:
    /// each coordinate becomes `v / sourceSize * targetSize` in float32, as the original does
    /// with `landmarks / frame.shape[0] * img_size` (square frames).
    ///
    /// - Precondition: `sourceSize > 0`.
    package func scaled(from sourceSize: Int, to targetSize: Int) -> FaceLandmarks {
        precondition(sourceSize > 0, "FaceLandmarks.scaled: source size \(sourceSize)")
        let (from, to) = (Float(sourceSize), Float(targetSize))
        return FaceLandmarks(points: points.map { $0 / from * to })
    }

    /// The landmarks moved to an image resized from `sourceHeight x sourceWidth` to
    /// `targetHeight x targetWidth`: `x / sourceWidth * targetWidth`, `y / sourceHeight *
    /// targetHeight` (float32).
    ///
    /// - Precondition: the source extents are positive.
    package func scaled(
        fromHeight sourceHeight: Int, width sourceWidth: Int,
        toHeight targetHeight: Int, width targetWidth: Int
    ) -> FaceLandmarks {
        precondition(
            sourceHeight > 0 && sourceWidth > 0,
            "FaceLandmarks.scaled: source size \(sourceHeight)x\(sourceWidth)")
        let from = SIMD2(Float(sourceWidth), Float(sourceHeight))
        let to = SIMD2(Float(targetWidth), Float(targetHeight))
        return FaceLandmarks(points: points.map { $0 / from * to })
    }

    /// The landmarks shifted by `offset` (e.g. from a crop's coordinates to the frame's).
    package func translated(by offset: SIMD2<Float>) -> FaceLandmarks {
        FaceLandmarks(points: points.map { $0 + offset })
    }
}
