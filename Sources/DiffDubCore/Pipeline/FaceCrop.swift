/// The square of an input frame that is dubbed, and the two ways across it: into the model's
/// resolution (the face and its landmarks) and back (the feathered paste of the rendered face).
///
/// The square is ``region`` in the frame's pixels, or the whole frame when `nil` (which must
/// then be square), as the original's square HDTF crops.
struct FaceCrop: Sendable {
    /// The square in frame pixels; `nil` for the whole (square) frame.
    let region: FaceRegion?
    /// The renderer's side.
    let size: Int

    /// The square of `frame` (frame `index`, for messages).
    func square(of frame: RGBImage, index: Int) throws -> FaceRegion {
        if let region {
            guard region.fits(height: frame.height, width: frame.width) else {
                throw DubbingError.regionOutsideFrame(region: region, height: frame.height, width: frame.width)
            }
            return region
        }
        guard frame.height == frame.width else {
            throw DubbingError.nonSquareFrame(index: index, height: frame.height, width: frame.width)
        }
        return FaceRegion(x: 0, y: 0, size: frame.height)
    }

    /// The face of `frame` at model resolution, with `landmarks` (in frame pixels) moved into it.
    func face(of frame: RGBImage, landmarks: FaceLandmarks, index: Int) throws -> FaceFrame {
        let square = try self.square(of: frame, index: index)
        let face =
            square.x == 0 && square.y == 0 && square.size == frame.width && square.size == frame.height
            ? frame : frame.cropped(rows: square.y..<(square.y + square.size), columns: square.x..<(square.x + square.size))
        let local = landmarks.translated(by: SIMD2(Float(-square.x), Float(-square.y)))
        return FaceFrame(face: face, landmarks: local, size: size)
    }

    /// The square of `frame` resized to model resolution, untouched (a frame without a face in
    /// raw output).
    func resizedSquare(of frame: RGBImage, index: Int) throws -> RGBImage {
        let square = try self.square(of: frame, index: index)
        let face = frame.cropped(rows: square.y..<(square.y + square.size), columns: square.x..<(square.x + square.size))
        return face.height == size ? face : face.resizedBilinear(height: size, width: size)
    }

    /// `rendered` (`S x S`) scaled to the square and blended into `frame` through the feathered
    /// mouth mask of `face`.
    func pasteBack(_ rendered: RGBImage, into frame: RGBImage, face: FaceFrame, index: Int) throws -> RGBImage {
        let square = try self.square(of: frame, index: index)
        let patch = square.size == rendered.height ? rendered : rendered.resizedBilinear(height: square.size, width: square.size)
        let feather = max(1, square.size / 64)
        let alpha = Compositing.featheredAlpha(mask: face.mouthMask, size: square.size, feather: feather)
        return frame.blending(patch, alpha: alpha, atX: square.x, y: square.y)
    }
}
