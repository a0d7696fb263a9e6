import DiffDubCore
import Foundation

/// A ``DubbingPlan`` on disk, in a job's `plan/` folder, with the model-resolution face of every
/// output frame, so that rendering needs neither the inputs nor the face models:
///
/// ```
/// plan/plan.json              image size, first frame, every PlannedFrame (input frame, face
///                             square, landmarks in input pixels), options, frame rate, counts,
///                             warnings
/// plan/lip_latents.npy        [frames, style], one row per output frame
/// plan/noise.npy              x_T [1, 3, S, S]
/// plan/reference.png          x_ref, S x S
/// plan/reference_landmarks.npy, plan/face_landmarks.npy
///                             [68, 2] and [frames, 68, 2]: landmarks at model resolution
///                             (rows of frames without a face are zeros)
/// plan/faces/NNNNNN.png       the S x S face of each output frame with a face
/// ```
///
/// Tensors are stored as float32 `.npy` and images as PNG, so a plan read back is the plan
/// written, bit for bit; floats in `plan.json` are written in their shortest exact form.
package struct JobPlanStore: Sendable {
    /// The `plan/` folder.
    package let url: URL
    /// The bounds its files are read within.
    package let limits: ReaderLimits

    /// The store at `url` (nothing is read), read within `limits`.
    package init(_ url: URL, limits: ReaderLimits = .standard) {
        self.url = url
        self.limits = limits
    }

    /// The parts of the plan that are not tensors or images (`plan.json`).
    struct Header: Codable {
        var imageSize: Int
        var firstFrame: Int
        var frames: [PlannedFrame]
        var options: DubbingOptions
        var frameRate: FrameRate
        var latentCount: Int
        var inputFrameCount: Int?
        var warnings: [String]
    }

    /// `plan.json`.
    var headerURL: URL { url.appendingPathComponent("plan.json") }
    private var facesURL: URL { url.appendingPathComponent("faces") }

    /// The file of output frame `index`'s face.
    package func faceURL(_ index: Int) -> URL { facesURL.appendingPathComponent(PNGFolderSink.fileName(forFrame: index)) }

    /// Writes `plan`'s header and tensors (not the faces: ``writeFace(_:index:)``).
    package func write(_ plan: DubbingPlan) throws {
        try FileManager.default.createDirectory(at: facesURL, withIntermediateDirectories: true)
        let header = Header(
            imageSize: plan.imageSize, firstFrame: plan.firstFrame, frames: plan.frames, options: plan.options,
            frameRate: plan.frameRate, latentCount: plan.latentCount, inputFrameCount: plan.inputFrameCount, warnings: plan.warnings)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(header), to: headerURL)
        try NumPyFile.write(plan.lipLatents, to: url.appendingPathComponent("lip_latents.npy"))
        try NumPyFile.write(plan.noise, to: url.appendingPathComponent("noise.npy"))
        try PNGFile.write(plan.reference.image, to: url.appendingPathComponent("reference.png"))
        try NumPyFile.write(Self.tensor([plan.reference.landmarks]).reshaped([68, 2]), to: url.appendingPathComponent("reference_landmarks.npy"))
    }

    /// Writes the model-resolution face of output frame `index`.
    package func writeFace(_ face: FaceFrame, index: Int) throws {
        try PNGFile.write(face.image, to: faceURL(index), fast: true)
    }

    /// Writes the landmarks of every output frame's face (`nil`: no face), in output order.
    package func writeFaceLandmarks(_ landmarks: [FaceLandmarks?]) throws {
        try NumPyFile.write(Self.tensor(landmarks), to: url.appendingPathComponent("face_landmarks.npy"))
    }

    /// Reads the plan back, as untrusted input: every file must be a regular file (no link);
    /// `plan.json`'s numbers must be in range and agree with each other (`Header.check(path:)`:
    /// source indices, face squares, 68 finite landmarks per face, options); the arrays must
    /// have the shapes the header implies and finite values; `reference.png` must be an 8-bit
    /// RGB image of the plan's size.
    ///
    /// - Throws: ``JobError/invalidField(path:field:reason:)`` naming the file and the field,
    ///   ``JobError/damaged(path:reason:)`` naming the file that is missing or unreadable.
    package func read() throws -> DubbingPlan {
        try JobFile.checkFolder(url)
        let data = try JobFile.contents(headerURL, limit: JobLimits.maximumPlanBytes)
        let header = try JobJSON.decode(Header.self, from: data, path: headerURL.path)
        try header.check(path: headerURL.path, limits: limits)
        let s = header.imageSize
        let lip = try JobFile.tensor(
            url.appendingPathComponent("lip_latents.npy"), shape: [header.frames.count, nil], limits: limits)
        let noise = try JobFile.tensor(url.appendingPathComponent("noise.npy"), shape: [1, 3, s, s], limits: limits)
        let referenceImage = try JobFile.image(url.appendingPathComponent("reference.png"), size: s, limits: limits)
        let referenceLandmarks = try JobFile.landmarks(
            url.appendingPathComponent("reference_landmarks.npy"), shape: [68, 2], limits: limits)
        return DubbingPlan(
            imageSize: s, firstFrame: header.firstFrame, frames: header.frames, lipLatents: lip,
            reference: FaceFrame(image: referenceImage, landmarks: FaceLandmarks(interleaved: referenceLandmarks.scalars)),
            noise: noise, options: header.options, frameRate: header.frameRate, latentCount: header.latentCount,
            inputFrameCount: header.inputFrameCount, warnings: header.warnings)
    }

    /// The model-resolution faces of every output frame (`nil`: no face), read lazily by
    /// ``face(_:of:landmarks:)``: the landmarks of all of them, `[frameCount, 68, 2]`, finite
    /// and within ``limits``' ``ReaderLimits/maximumLandmarkCoordinate``.
    ///
    /// - Throws: ``JobError`` naming `face_landmarks.npy` and what is wrong.
    package func readFaceLandmarks(frameCount: Int) throws -> Tensor {
        try JobFile.landmarks(
            url.appendingPathComponent("face_landmarks.npy"), shape: [frameCount, 68, 2], limits: limits)
    }

    /// The face of output frame `index` of `plan`, with its landmarks from `landmarks`
    /// (``readFaceLandmarks(frameCount:)``); the face file must be an 8-bit RGB PNG of the
    /// plan's size, not a link.
    ///
    /// - Throws: ``JobError`` naming the face file (or `face_landmarks.npy`) and what is wrong.
    package func face(_ index: Int, of plan: DubbingPlan, landmarks: Tensor) throws -> FaceFrame {
        let row = index - plan.firstFrame
        guard plan.outputFrames.contains(index), landmarks.shape == [plan.frames.count, 68, 2] else {
            throw JobError.invalidField(
                path: url.appendingPathComponent("face_landmarks.npy").path, field: "shape",
                reason: "\(landmarks.shape) has no row for frame \(index) of \(plan.outputFrames)")
        }
        let points = slice(landmarks, axis: 0, row..<(row + 1)).scalars
        try JobFile.checkFolder(facesURL)
        return FaceFrame(
            image: try JobFile.image(faceURL(index), size: plan.imageSize, limits: limits),
            landmarks: FaceLandmarks(interleaved: points))
    }

    /// `[N, 68, 2]` from N landmark sets (`nil` rows are zeros).
    private static func tensor(_ landmarks: [FaceLandmarks?]) -> Tensor {
        Tensor(
            shape: [landmarks.count, 68, 2],
            scalars: landmarks.flatMap { $0?.interleaved ?? [Float](repeating: 0, count: 136) })
    }
}
