/// A face at the renderer's resolution: the `S x S` image (OpenCV-bilinear resized from the
/// square face region of a frame) and its landmarks at that scale.
public struct FaceFrame: Sendable {
    /// The `S x S` face.
    public var image: RGBImage
    /// The 68 landmarks in the face image's pixels.
    public var landmarks: FaceLandmarks

    /// A face frame from an image already at model resolution.
    public init(image: RGBImage, landmarks: FaceLandmarks) {
        self.image = image
        self.landmarks = landmarks
    }

    /// Resizes the square `face` to `size` and scales its `landmarks` (in `face`'s pixels) by
    /// `size / face.height`, as the original does.
    ///
    /// - Precondition: `face` is square and not empty.
    package init(face: RGBImage, landmarks: FaceLandmarks, size: Int) {
        precondition(face.height == face.width && face.height > 0, "FaceFrame: face is \(face.width)x\(face.height)")
        self.image = face.height == size ? face : face.resizedBilinear(height: size, width: size)
        self.landmarks = landmarks.scaled(from: face.height, to: size)
    }

    /// The mouth mask (1 = regenerated) at this frame's size.
    package var mouthMask: GrayImage { FaceMask.mouthMask(landmarks: landmarks, size: image.height) }
}
