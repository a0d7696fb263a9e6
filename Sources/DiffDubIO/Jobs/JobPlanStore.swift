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
public struct JobPlanStore: Sendable {
    /// The `plan/` folder.
    public let url: URL

    /// The store at `url` (nothing is read).
    public init(_ url: URL) { self.url = url }

    /// The parts of the plan that are not tensors or images.
    private struct Header: Codable {
        var imageSize: Int
        var firstFrame: Int
        var frames: [PlannedFrame]
        var options: DubbingOptions
        var frameRate: FrameRate
        var latentCount: Int
        var inputFrameCount: Int?
        var warnings: [String]
    }

    private var headerURL: URL { url.appendingPathComponent("plan.json") }
    private var facesURL: URL { url.appendingPathComponent("faces") }

    /// The file of output frame `index`'s face.
    public func faceURL(_ index: Int) -> URL { facesURL.appendingPathComponent(PNGFolderSink.fileName(forFrame: index)) }

    /// Writes `plan`'s header and tensors (not the faces: ``writeFace(_:index:)``).
    public func write(_ plan: DubbingPlan) throws {
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
    public func writeFace(_ face: FaceFrame, index: Int) throws {
        try PNGFile.write(face.image, to: faceURL(index), fast: true)
    }

    /// Writes the landmarks of every output frame's face (`nil`: no face), in output order.
    public func writeFaceLandmarks(_ landmarks: [FaceLandmarks?]) throws {
        try NumPyFile.write(Self.tensor(landmarks), to: url.appendingPathComponent("face_landmarks.npy"))
    }

    /// Reads the plan back.
    ///
    /// - Throws: ``JobError/damaged(path:reason:)`` naming the file that is missing or wrong.
    public func read() throws -> DubbingPlan {
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(contentsOf: headerURL))
        } catch {
            throw JobError.damaged(path: headerURL.path, reason: "cannot read the plan: \(error)")
        }
        let s = header.imageSize
        let lip = try tensor("lip_latents.npy", rows: header.frames.count)
        let noise = try tensor("noise.npy", shape: [1, 3, s, s])
        let referenceImage = try image(url.appendingPathComponent("reference.png"), size: s)
        let referenceLandmarks = try tensor("reference_landmarks.npy", shape: [68, 2])
        return DubbingPlan(
            imageSize: s, firstFrame: header.firstFrame, frames: header.frames, lipLatents: lip,
            reference: FaceFrame(image: referenceImage, landmarks: FaceLandmarks(interleaved: referenceLandmarks.scalars)),
            noise: noise, options: header.options, frameRate: header.frameRate, latentCount: header.latentCount,
            inputFrameCount: header.inputFrameCount, warnings: header.warnings)
    }

    /// The model-resolution faces of every output frame (`nil`: no face), read lazily by
    /// ``face(_:of:landmarks:)``: the landmarks of all of them.
    public func readFaceLandmarks(frameCount: Int) throws -> Tensor {
        try tensor("face_landmarks.npy", shape: [frameCount, 68, 2])
    }

    /// The face of output frame `index` of `plan`, with its landmarks from `landmarks`
    /// (``readFaceLandmarks(frameCount:)``).
    public func face(_ index: Int, of plan: DubbingPlan, landmarks: Tensor) throws -> FaceFrame {
        let row = index - plan.firstFrame
        let points = slice(landmarks, axis: 0, row..<(row + 1)).scalars
        return FaceFrame(image: try image(faceURL(index), size: plan.imageSize), landmarks: FaceLandmarks(interleaved: points))
    }

    private func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        let file = url.appendingPathComponent(name)
        let tensor: Tensor
        do { tensor = try NumPyFile.readTensor(file) } catch { throw JobError.damaged(path: file.path, reason: "\(error)") }
        guard tensor.shape == shape else { throw JobError.damaged(path: file.path, reason: "shape \(tensor.shape), expected \(shape)") }
        return tensor
    }

    private func tensor(_ name: String, rows: Int) throws -> Tensor {
        let file = url.appendingPathComponent(name)
        let tensor: Tensor
        do { tensor = try NumPyFile.readTensor(file) } catch { throw JobError.damaged(path: file.path, reason: "\(error)") }
        guard tensor.rank == 2, tensor.shape[0] == rows else {
            throw JobError.damaged(path: file.path, reason: "shape \(tensor.shape), expected \(rows) rows")
        }
        return tensor
    }

    private func image(_ file: URL, size: Int) throws -> RGBImage {
        let image: RGBImage
        do { image = try PNGFile.read(file) } catch { throw JobError.damaged(path: file.path, reason: "\(error)") }
        guard image.height == size, image.width == size else {
            throw JobError.damaged(path: file.path, reason: "\(image.width)x\(image.height), expected \(size)x\(size)")
        }
        return image
    }

    /// `[N, 68, 2]` from N landmark sets (`nil` rows are zeros).
    private static func tensor(_ landmarks: [FaceLandmarks?]) -> Tensor {
        Tensor(
            shape: [landmarks.count, 68, 2],
            scalars: landmarks.flatMap { $0?.interleaved ?? [Float](repeating: 0, count: 136) })
    }
}
