import Foundation

/// The DiffDub pipeline: stage 1 (renderer) and stage 2 (lip latent predictor) together,
/// turning frames, their landmarks and Hubert speech features into dubbed frames.
///
/// The steps, as the original's demo (REFERENCE.md section 1):
/// 1. reference lip latents: the lip crop (landmark 21) of the reference frame(s), encoded by
///    the renderer's semantic encoder: one frame repeated (one-shot) or the first frames of
///    the clip (few-shot), ``DubbingOptions/referenceCount`` latents;
/// 2. lip latents: stage 2 on the Hubert features and those references, one per output frame;
/// 3. rendering: for each frame, DDIM inpainting of its mouth region (landmark 30 mask) with
///    its lip latent, the reference frame as `x_ref` and one noise image shared by all frames.
///
/// A whole dub, from files or values, is a `DubbingRequest` (DiffDubIO); the three steps are
/// public for programs that run them separately (a job that prepares latents once and renders
/// frames on many machines).
public struct Dubber: Sendable {
    /// Stage 1.
    public let renderer: Renderer
    /// Stage 2.
    public let lipPredictor: LipLatentPredictor

    /// Pairs a renderer and a predictor.
    ///
    /// - Throws: ``DubbingError/latentWidthMismatch(renderer:predictor:)`` when the renderer's
    ///   latent width and the predictor's differ.
    public init(renderer: Renderer, lipPredictor: LipLatentPredictor) throws {
        let style = renderer.configuration.unet.styleChannels
        let latent = lipPredictor.configuration.latentWidth
        guard style == latent else { throw DubbingError.latentWidthMismatch(renderer: style, predictor: latent) }
        self.renderer = renderer
        self.lipPredictor = lipPredictor
    }

    /// Side of the renderer's images.
    public var imageSize: Int { renderer.imageSize }

    /// Shape of the noise image `x_T`: `[1, 3, S, S]`.
    public var noiseShape: [Int] { [1, 3, imageSize, imageSize] }

    // MARK: - The three steps

    /// The semantic-encoder latents of the lip crops (landmark 21) of `faces`: `[N, style]`.
    ///
    /// - Throws: ``DubbingError/maskFailed(frame:reason:)`` when a face's landmarks give no
    ///   crop.
    public func referenceLatents(of faces: [FaceFrame], batchSize: Int = 8) throws -> Tensor {
        var crops: [RGBImage] = []
        for (i, face) in faces.enumerated() {
            do {
                crops.append(try FaceMask.lipCrop(image: face.image, landmarks: face.landmarks, size: imageSize))
            } catch {
                throw DubbingError.maskFailed(frame: i, reason: "\(error)")
            }
        }
        var parts: [Tensor] = []
        for start in stride(from: 0, to: crops.count, by: max(1, batchSize)) {
            let batch = Array(crops[start..<min(crops.count, start + max(1, batchSize))])
            parts.append(try renderer.encode(RGBImage.normalizedBatch(batch)))
        }
        return parts.count == 1 ? parts[0] : concat(parts, axis: 0)
    }

    /// Lip latents `[F, style]`, `F = ceil(T / 2)`, for Hubert features `[layers, T, A]` (or
    /// `[1, layers, T, A]`) and reference latents `[R, style]`.
    public func lipLatents(hubert: Tensor, referenceLatents: Tensor) throws -> Tensor {
        let features = hubert.rank == 4 && hubert.shape[0] == 1 ? hubert.reshaped(Array(hubert.shape.dropFirst())) : hubert
        return try lipPredictor.predict(hubert: features, reference: referenceLatents)
    }

    /// Renders `faces` (at model resolution) with one lip latent each (`latents` `[N, style]`),
    /// `reference` as `x_ref` and the shared `noise` `[1, 3, S, S]`; returns the `S x S`
    /// frames exactly as the original writes them (`uint8(trunc(255 * (x + 1) / 2))`).
    public func render(
        faces: [FaceFrame], latents: Tensor, reference: FaceFrame, noise: Tensor, steps: Int,
        sampler: any Sampler = DDIMSampler(), progress: SamplingProgress? = nil
    ) throws -> [RGBImage] {
        let s = imageSize
        guard noise.shape == noiseShape else { throw DubbingError.invalidNoise(shape: noise.shape, expected: noiseShape) }
        let frames = RGBImage.normalizedBatch(faces.map(\.image))
        let keep = faces.map { face in face.mouthMask.pixels.map { $0 == 0 ? Float(1) : 0 } }
        let masks = Tensor(shape: [faces.count, 1, s, s], scalars: Array(keep.joined()))
        let rendered = try renderer.render(
            frames: frames, reference: reference.image.normalizedTensor().reshaped([1, 3, s, s]), masks: masks,
            latents: latents, noise: noise, steps: steps, sampler: sampler, progress: progress)
        return (0..<faces.count).map { RGBImage(unitTensor: rendered, index: $0, quantization: .truncate) }
    }

    /// The number of lip latents (25 fps output frames) stage 2 gives for `hubertFrames`
    /// Hubert frames (50 Hz): `ceil(T / 2)`.
    public func latentCount(hubertFrames: Int) -> Int { (max(0, hubertFrames) + 1) / 2 }

    // MARK: - A whole clip

    /// Dubs a clip: reference latents, lip latents, then every output frame in
    /// ``DubbingOptions/frameRange``, written to `sink` in order (the caller finishes or
    /// discards the sink).
    ///
    /// The number of output frames is `min(lip latents, input frames)` (a still image
    /// stands for as many frames as there are latents). Frames are rendered in batches of
    /// ``DubbingOptions/batchSize``. Everything that can be checked without the models (options,
    /// noise shape, the step count, landmarks against the frames to dub) is checked before any
    /// model runs.
    ///
    /// - Parameters:
    ///   - frames: the input clip (frames of one size).
    ///   - landmarks: the 68 landmarks of every frame, in the frames' pixels.
    ///   - hubert: Hubert features `[layers, T, A]` or `[1, layers, T, A]` (50 Hz).
    ///   - noise: `x_T` `[1, 3, S, S]`, shared by all frames.
    ///   - progress: reports while encoding references and after every denoising step.
    ///   - checkCancellation: called between frames and denoising steps; what it throws ends
    ///     the run there.
    package func dub(
        frames source: any FrameSource, landmarks: LandmarkTrack, hubert: Tensor, noise: Tensor,
        options: DubbingOptions, sink: any FrameSink, progress: ProgressHandler? = nil,
        checkCancellation: @escaping () throws -> Void = {}
    ) throws -> DubbingSummary {
        try options.validate()
        guard noise.shape == noiseShape else { throw DubbingError.invalidNoise(shape: noise.shape, expected: noiseShape) }
        let sampler = options.sampler.sampler
        _ = try sampler.schedule(renderer.schedule, steps: options.steps)  // fail before any work
        let preparer = FramePreparer(size: imageSize, region: options.faceRegion, landmarks: landmarks)
        let hubertFrames = hubert.rank >= 2 ? hubert.shape[hubert.rank - 2] : 0
        let latentCount = latentCount(hubertFrames: hubertFrames)
        let known = source.frameCount
        let planned = options.frameRange.clamped(toCount: min(latentCount, known ?? latentCount))
        if let covered = landmarks.count, covered < planned.upperBound, !planned.isEmpty {
            throw DubbingError.landmarkCountMismatch(
                input: source.name, landmarks: covered, frames: min(latentCount, known ?? latentCount))
        }

        // 1. Reference latents.
        try checkCancellation()
        let references = try referenceFaces(source: source, preparer: preparer, options: options)
        let tracker = ProgressTracker(stage: .referenceLatents, total: references.encoded.count, handler: progress)
        let encoded = try referenceLatents(of: references.encoded, batchSize: options.batchSize)
        tracker.report(completed: references.encoded.count)
        let referenceLatents = Self.arrange(encoded, mode: options.referenceMode, count: options.referenceCount)

        // 2. Lip latents.
        try checkCancellation()
        let lipTracker = ProgressTracker(stage: .lipLatents, total: 1, handler: progress)
        let lip = try lipLatents(hubert: hubert, referenceLatents: referenceLatents)
        lipTracker.report(completed: 1)

        // 3. Rendering.
        var warnings: [String] = []
        if let known, known < latentCount {
            warnings.append(
                "\(source.name) has \(known) frames but the speech gives \(latentCount): only \(known) frames are dubbed")
        }
        let reader = try source.makeReader()
        let render = ProgressTracker(stage: .rendering, total: planned.count, handler: progress)
        var index = 0
        var done = 0
        var batch: [(index: Int, frame: RGBImage, face: FaceFrame)] = []
        func flush() throws {
            guard !batch.isEmpty else { return }
            try checkCancellation()
            let rows = batch.map(\.index)
            let latents = concat(rows.map { slice(lip, axis: 0, $0..<($0 + 1)) }, axis: 0)
            let outputs = try self.render(
                faces: batch.map(\.face), latents: latents, reference: references.reference, noise: noise,
                steps: options.steps, sampler: sampler
            ) { step, steps in
                try checkCancellation()
                render.report(completed: done, step: step, stepCount: steps)
            }
            for (item, output) in zip(batch, outputs) {
                try sink.write(options.raw ? output : preparer.pasteBack(output, into: item.frame, face: item.face), index: item.index)
            }
            done += batch.count
            render.report(completed: done)
            batch.removeAll(keepingCapacity: true)
        }
        var withoutFace: [Int] = []
        while index < planned.upperBound, let frame = try reader.next() {
            defer { index += 1 }
            guard index >= planned.lowerBound else { continue }
            if landmarks.hasNoFace(atFrame: index) {
                // No face detected: the frame passes through unchanged, in order.
                try flush()
                try sink.write(options.raw ? try preparer.region(of: frame, index: index) : frame, index: index)
                withoutFace.append(index)
                done += 1
                render.report(completed: done)
                continue
            }
            batch.append((index, frame, try preparer.face(frame, index: index)))
            // Batches follow absolute frame indices, so a slice renders the same batches as a
            // whole run would.
            if (index + 1) % options.batchSize == 0 { try flush() }
        }
        try flush()
        if known == nil, index < min(latentCount, planned.upperBound), !(source is StillFrame) {
            warnings.append(
                "\(source.name) has \(index) frames but the speech gives \(latentCount): only \(index) frames are dubbed")
        }
        if !withoutFace.isEmpty {
            let listed = withoutFace.prefix(10).map(String.init).joined(separator: ", ") + (withoutFace.count > 10 ? ", ..." : "")
            warnings.append("no face found in \(withoutFace.count) frame(s) (\(listed)): kept unchanged")
        }
        let rendered = planned.lowerBound..<max(planned.lowerBound, min(planned.upperBound, index))
        return DubbingSummary(
            latentCount: latentCount, inputFrameCount: source is StillFrame ? nil : (known ?? index),
            renderedFrames: rendered, warnings: warnings, framesWithoutFace: withoutFace)
    }

    /// The `[R, style]` reference latents stage 2 receives: one-shot repeats the single latent,
    /// few-shot cycles through the encoded frames.
    static func arrange(_ encoded: Tensor, mode: ReferenceMode, count: Int) -> Tensor {
        let n = encoded.shape[0]
        let rows = (0..<count).map { mode == .oneShot ? 0 : $0 % n }
        return concat(rows.map { slice(encoded, axis: 0, $0..<($0 + 1)) }, axis: 0)
    }

    /// Reads the frames the references need: the reference frame (`x_ref`, and the one-shot
    /// latent) and, few-shot, the first `referenceCount` frames.
    private func referenceFaces(
        source: any FrameSource, preparer: FramePreparer, options: DubbingOptions
    ) throws -> (reference: FaceFrame, encoded: [FaceFrame]) {
        let wanted = options.referenceMode == .fewShot ? max(options.referenceCount, options.referenceFrame + 1) : options.referenceFrame + 1
        let reader = try source.makeReader()
        var encoded: [FaceFrame] = []
        var reference: FaceFrame?
        var index = 0
        while index < wanted, let frame = try reader.next() {
            // Few-shot encodes every frame up to the count; one-shot only the reference frame.
            // Frames without a detected face are skipped.
            let hasFace = !preparer.landmarks.hasNoFace(atFrame: index)
            let encodes = options.referenceMode == .fewShot && index < options.referenceCount && hasFace
            if index == options.referenceFrame && !hasFace {
                throw DubbingError.noFaceInReference(frame: index, firstWithFace: Self.firstFace(in: preparer.landmarks))
            }
            if encodes || index == options.referenceFrame {
                let face = try preparer.face(frame, index: index)
                if encodes { encoded.append(face) }
                if index == options.referenceFrame { reference = face }
            }
            index += 1
        }
        guard index > 0 else { throw DubbingError.noFrames(input: source.name) }
        if options.referenceMode == .fewShot && encoded.isEmpty {
            throw DubbingError.noFaceInReference(frame: 0, firstWithFace: Self.firstFace(in: preparer.landmarks))
        }
        guard let reference else {
            throw DubbingError.referenceFrameOutOfRange(index: options.referenceFrame, frames: index)
        }
        return (reference, options.referenceMode == .oneShot ? [reference] : encoded)
    }

    /// The first frame of a detected track with a face.
    static func firstFace(in track: LandmarkTrack) -> Int? {
        guard case .detected(let all) = track else { return nil }
        return all.firstIndex { $0 != nil }
    }
}
