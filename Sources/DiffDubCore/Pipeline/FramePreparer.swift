/// Turns input frames into model-resolution faces and rendered faces back into output
/// frames: the face region (the whole square frame, or ``DubbingOptions/faceRegion``), the
/// landmarks in that region, and the feathered paste-back.
struct FramePreparer {
    let size: Int
    let region: FaceRegion?
    let landmarks: LandmarkTrack
    /// Height and width of the first frame seen; every frame must match.
    private let frameSize = FrameSizeLatch()

    init(size: Int, region: FaceRegion?, landmarks: LandmarkTrack) {
        self.size = size
        self.region = region
        self.landmarks = landmarks
    }

    /// The face of frame `index` at model resolution.
    func face(_ frame: RGBImage, index: Int) throws -> FaceFrame {
        try frameSize.check(frame, index: index)
        guard let points = landmarks.landmarks(forFrame: index) else {
            throw DubbingError.missingLandmarks(frame: index, landmarks: landmarks.count ?? 0)
        }
        let square = try self.square(of: frame, index: index)
        let face = square.x == 0 && square.y == 0 && square.size == frame.width && square.size == frame.height
            ? frame : frame.cropped(rows: square.y..<(square.y + square.size), columns: square.x..<(square.x + square.size))
        let local = points.translated(by: SIMD2(Float(-square.x), Float(-square.y)))
        return FaceFrame(face: face, landmarks: local, size: size)
    }

    /// The face region of `frame` resized to the model resolution, untouched (a frame without
    /// a face in raw output).
    func region(of frame: RGBImage, index: Int) throws -> RGBImage {
        try frameSize.check(frame, index: index)
        let square = try self.square(of: frame, index: index)
        let face = frame.cropped(rows: square.y..<(square.y + square.size), columns: square.x..<(square.x + square.size))
        return face.height == size ? face : face.resizedBilinear(height: size, width: size)
    }

    /// The output frame: `rendered` (`S x S`) scaled to the face region and blended into
    /// `frame` through the feathered mouth mask of `face`.
    func pasteBack(_ rendered: RGBImage, into frame: RGBImage, face: FaceFrame) throws -> RGBImage {
        let square = try self.square(of: frame, index: 0)
        let patch = square.size == rendered.height ? rendered : rendered.resizedBilinear(height: square.size, width: square.size)
        let feather = max(1, square.size / 64)
        let alpha = Compositing.featheredAlpha(mask: face.mouthMask, size: square.size, feather: feather)
        return frame.blending(patch, alpha: alpha, atX: square.x, y: square.y)
    }

    private func square(of frame: RGBImage, index: Int) throws -> FaceRegion {
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
}

/// Remembers the first frame's size and rejects frames of another size.
private final class FrameSizeLatch: @unchecked Sendable {
    private var size: (height: Int, width: Int)?

    func check(_ frame: RGBImage, index: Int) throws {
        if let size {
            guard size.height == frame.height && size.width == frame.width else {
                throw DubbingError.frameSizeChanged(
                    index: index, expected: "\(size.width)x\(size.height)", found: "\(frame.width)x\(frame.height)")
            }
        } else {
            size = (frame.height, frame.width)
        }
    }
}
