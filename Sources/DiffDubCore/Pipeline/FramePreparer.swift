/// Turns input frames into model-resolution faces and rendered faces back into output
/// frames: the face region of each frame (the whole square frame, one fixed square, or a
/// square per frame from a face track), the landmarks in that region, and the feathered
/// paste-back.
struct FramePreparer {
    let size: Int
    let regions: FaceRegions
    let landmarks: LandmarkTrack
    /// Height and width of the first frame seen; every frame must match.
    private let frameSize = FrameSizeLatch()

    /// One region for every frame (``DubbingOptions/faceRegion``): `nil` for the whole frame.
    init(size: Int, region: FaceRegion?, landmarks: LandmarkTrack) {
        self.init(size: size, regions: FaceRegions(region), landmarks: landmarks)
    }

    /// A region per frame (``FaceRegions/perFrame(_:)``) or one for all.
    init(size: Int, regions: FaceRegions, landmarks: LandmarkTrack) {
        self.size = size
        self.regions = regions
        self.landmarks = landmarks
    }

    /// Whether frame `index` has no face to dub: no landmarks in a detected track, or no
    /// region in a per-frame list. Such frames are kept unchanged.
    func hasNoFace(atFrame index: Int) -> Bool {
        landmarks.hasNoFace(atFrame: index) || regions.hasNoRegion(atFrame: index)
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
    /// a face in raw output). A frame without a region of its own in a per-frame list gives
    /// its largest centred square.
    func region(of frame: RGBImage, index: Int) throws -> RGBImage {
        try frameSize.check(frame, index: index)
        let square: FaceRegion
        if regions.hasNoRegion(atFrame: index) {
            let side = min(frame.height, frame.width)
            square = FaceRegion(x: (frame.width - side) / 2, y: (frame.height - side) / 2, size: side)
        } else {
            square = try self.square(of: frame, index: index)
        }
        let face = frame.cropped(rows: square.y..<(square.y + square.size), columns: square.x..<(square.x + square.size))
        return face.height == size ? face : face.resizedBilinear(height: size, width: size)
    }

    /// The output frame: `rendered` (`S x S`) scaled to the face region of frame 0 and
    /// blended into `frame` through the feathered mouth mask of `face`. Only for one region
    /// for all frames; a per-frame list needs ``pasteBack(_:into:face:index:)``.
    func pasteBack(_ rendered: RGBImage, into frame: RGBImage, face: FaceFrame) throws -> RGBImage {
        try pasteBack(rendered, into: frame, face: face, index: 0)
    }

    /// The output frame: `rendered` (`S x S`) scaled to the face region of frame `index` and
    /// blended into `frame` through the feathered mouth mask of `face`.
    func pasteBack(_ rendered: RGBImage, into frame: RGBImage, face: FaceFrame, index: Int) throws -> RGBImage {
        let square = try self.square(of: frame, index: index)
        let patch = square.size == rendered.height ? rendered : rendered.resizedBilinear(height: square.size, width: square.size)
        let feather = max(1, square.size / 64)
        let alpha = Compositing.featheredAlpha(mask: face.mouthMask, size: square.size, feather: feather)
        return frame.blending(patch, alpha: alpha, atX: square.x, y: square.y)
    }

    private func square(of frame: RGBImage, index: Int) throws -> FaceRegion {
        switch regions {
        case .whole:
            guard frame.height == frame.width else {
                throw DubbingError.nonSquareFrame(index: index, height: frame.height, width: frame.width)
            }
            return FaceRegion(x: 0, y: 0, size: frame.height)
        case .fixed(let region):
            guard region.fits(height: frame.height, width: frame.width) else {
                throw DubbingError.regionOutsideFrame(region: region, height: frame.height, width: frame.width)
            }
            return region
        case .perFrame:
            guard let region = regions.region(forFrame: index, height: frame.height, width: frame.width) else {
                throw DubbingError.noFaceRegion(frame: index)
            }
            guard region.fits(height: frame.height, width: frame.width) else {
                throw DubbingError.regionOutsideFrame(region: region, height: frame.height, width: frame.width)
            }
            return region
        }
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
