import Foundation

/// What can go wrong when cutting a face region out of an image.
package enum FaceMaskError: LocalizedError, CustomStringConvertible, Equatable {
    /// The region's polygon does not touch the image (landmarks outside it, or wrong scale).
    case emptyMask(height: Int, width: Int)
    /// The region's box is one pixel high or wide, which leaves nothing once its last row
    /// and column are dropped (as the original does).
    case emptyCrop(rows: ClosedRange<Int>, columns: ClosedRange<Int>)

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// A one-line explanation.
    package var description: String {
        switch self {
        case .emptyMask(let h, let w):
            "face mask: the landmark polygon does not cover any pixel of the \(h)x\(w) image (landmarks outside the image or at the wrong scale?)"
        case .emptyCrop(let rows, let columns):
            "face mask: the masked region (rows \(rows), columns \(columns)) is too thin to crop"
        }
    }
}

/// The regions the original cuts out of a face with its landmarks (`get_masked_image`).
///
/// Polygon for a row landmark `li`, from landmarks `lm` at the image's scale:
/// `(lm[6].x, lm[li].y), (lm[10].x, lm[li].y), lm[10], (lm[8].x, lm[8].y + 5), lm[6]`,
/// each coordinate truncated to an integer (`np.int32`), filled like `cv2.fillPoly` and
/// dilated four times with a 5x5 square (radius 8). `li = 30` (below the nose) gives the mouth
/// region that is regenerated; `li = 21` (below the eyebrows) the region of the lip reference
/// crop.
package enum FaceMask {
    /// Landmark whose row starts the mouth region (30, the nose).
    package static let mouthRowLandmark = 30
    /// Landmark whose row starts the lip reference region (21, an eyebrow).
    package static let lipReferenceRowLandmark = 21
    /// Dilation radius: 4 iterations of a 5x5 square.
    package static let dilationRadius = 8

    /// The five polygon vertices for row landmark `rowLandmark`, truncated toward zero.
    package static func polygon(landmarks lm: FaceLandmarks, rowLandmark: Int) -> [PixelPoint] {
        let top = lm[rowLandmark].y
        let corners: [SIMD2<Float>] = [
            SIMD2(lm[6].x, top), SIMD2(lm[10].x, top), lm[10], SIMD2(lm[8].x, lm[8].y + 5), lm[6],
        ]
        return corners.map { PixelPoint(x: truncatedInt32($0.x), y: truncatedInt32($0.y)) }
    }

    /// The binary mask (1 inside) of the region for `rowLandmark` in a `height x width` image.
    package static func mask(
        landmarks: FaceLandmarks, rowLandmark: Int, height: Int, width: Int
    ) -> GrayImage {
        GrayImage(height: height, width: width)
            .filling(polygon: polygon(landmarks: landmarks, rowLandmark: rowLandmark), value: 1)
            .dilated(radius: dilationRadius)
    }

    /// The mouth mask M of a `size x size` frame (1 = the region regenerated; the sampler's
    /// keep-mask is `1 - M`). `landmarks` must be at the frame's scale.
    package static func mouthMask(landmarks: FaceLandmarks, size: Int) -> GrayImage {
        mask(landmarks: landmarks, rowLandmark: mouthRowLandmark, height: size, width: size)
    }

    /// The lip reference crop of `image` (landmarks at the image's scale): the image times
    /// the region mask for landmark 21, cut to the mask's non-zero box without its last row
    /// and column, resized to `size x size` with OpenCV's nearest-neighbour rule.
    package static func lipCrop(image: RGBImage, landmarks: FaceLandmarks, size: Int) throws -> RGBImage {
        try crop(image: image, landmarks: landmarks, rowLandmark: lipReferenceRowLandmark, size: size)
    }

    /// The crop of ``lipCrop(image:landmarks:size:)`` for any row landmark.
    package static func crop(
        image: RGBImage, landmarks: FaceLandmarks, rowLandmark: Int, size: Int
    ) throws -> RGBImage {
        let region = mask(
            landmarks: landmarks, rowLandmark: rowLandmark, height: image.height, width: image.width)
        return try crop(image: image, mask: region, size: size)
    }

    /// `image * mask` cut to rows `top ..< bottom` and columns `left ..< right` of the mask's
    /// non-zero box (the original's `cond[y1:y2, x1:x2]`, which drops the last row and
    /// column), resized to `size x size` with nearest neighbour.
    package static func crop(image: RGBImage, mask: GrayImage, size: Int) throws -> RGBImage {
        guard let box = mask.nonZeroBounds else {
            throw FaceMaskError.emptyMask(height: mask.height, width: mask.width)
        }
        let rows = box.rows.lowerBound..<box.rows.upperBound
        let columns = box.columns.lowerBound..<box.columns.upperBound
        guard !rows.isEmpty && !columns.isEmpty else {
            throw FaceMaskError.emptyCrop(rows: box.rows, columns: box.columns)
        }
        return image.masked(by: mask).cropped(rows: rows, columns: columns)
            .resizedNearest(height: size, width: size)
    }

    /// `Int32(v)` truncating toward zero, saturating outside Int32's range (NaN gives 0).
    static func truncatedInt32(_ v: Float) -> Int {
        guard v.isFinite else { return v.isNaN ? 0 : (v > 0 ? Int(Int32.max) : Int(Int32.min)) }
        let t = v.rounded(.towardZero)
        return Int(min(max(t, Float(Int32.min)), Float(Int32.max)))
    }
}
