import Foundation

/// The DiffDub pipeline: stage 1 (renderer) and stage 2 (lip latent predictor) together,
/// turning frames, their landmarks and Hubert speech features into dubbed frames.
///
/// The steps, as the original's demo (`demo.py`):
/// 1. reference lip latents: the lip crop (landmark 21) of the reference frame(s), encoded by
///    the renderer's semantic encoder: one frame repeated (one-shot) or the first frames of
///    the clip (few-shot), ``DubbingOptions/referenceCount`` latents;
/// 2. lip latents: stage 2 on the Hubert features and those references, one per output frame;
/// 3. rendering: for each frame, DDIM inpainting of its mouth region (landmark 30 mask) with
///    its lip latent, the reference frame as `x_ref` and one noise image shared by all frames.
///
/// A whole dub is a ``DubbingSession``: it holds a dubber (and the face and speech models),
/// prepares a ``DubbingPlan`` per clip and renders it in one loop; the three steps here are
/// public for programs that run them separately.
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
    package var noiseShape: [Int] { [1, 3, imageSize, imageSize] }

    // MARK: - The three steps

    /// The semantic-encoder latents of the lip crops (landmark 21) of `faces`: `[N, style]`.
    ///
    /// - Throws: ``DubbingError/maskFailed(frame:reason:)`` when a face's landmarks give no
    ///   crop.
    package func referenceLatents(of faces: [FaceFrame], batchSize: Int = 8, precision: Precision = .fp32) throws -> Tensor {
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
            parts.append(try renderer.encode(RGBImage.normalizedBatch(batch), precision: precision))
        }
        return parts.count == 1 ? parts[0] : concat(parts, axis: 0)
    }

    /// Lip latents `[F, style]`, `F = ceil(T / 2)`, for Hubert features `[layers, T, A]` (or
    /// `[1, layers, T, A]`) and reference latents `[R, style]`.
    package func lipLatents(hubert: Tensor, referenceLatents: Tensor) throws -> Tensor {
        let features = hubert.rank == 4 && hubert.shape[0] == 1 ? hubert.reshaped(Array(hubert.shape.dropFirst())) : hubert
        return try lipPredictor.predict(hubert: features, reference: referenceLatents)
    }

    /// Renders `faces` (at model resolution) with one lip latent each (`latents` `[N, style]`),
    /// `reference` as `x_ref` and the shared `noise` `[1, 3, S, S]`; returns the `S x S`
    /// frames exactly as the original writes them (`uint8(trunc(255 * (x + 1) / 2))`).
    package func render(
        faces: [FaceFrame], latents: Tensor, reference: FaceFrame, noise: Tensor, steps: Int,
        sampler: any Sampler = DDIMSampler(), precision: Precision = .fp32, progress: SamplingProgress? = nil
    ) throws -> [RGBImage] {
        let s = imageSize
        guard noise.shape == noiseShape else { throw DubbingError.invalidNoise(shape: noise.shape, expected: noiseShape) }
        let frames = RGBImage.normalizedBatch(faces.map(\.image))
        let keep = faces.map { face in face.mouthMask.pixels.map { $0 == 0 ? Float(1) : 0 } }
        let masks = Tensor(shape: [faces.count, 1, s, s], scalars: Array(keep.joined()))
        let rendered = try renderer.render(
            frames: frames, reference: reference.image.normalizedTensor().reshaped([1, 3, s, s]), masks: masks,
            latents: latents, noise: noise, steps: steps, sampler: sampler, precision: precision, progress: progress)
        return (0..<faces.count).map { RGBImage(unitTensor: rendered, index: $0, quantization: .truncate) }
    }

    /// The number of lip latents (25 fps output frames) stage 2 gives for `hubertFrames`
    /// Hubert frames (50 Hz): `ceil(T / 2)`.
    package func latentCount(hubertFrames: Int) -> Int { (max(0, hubertFrames) + 1) / 2 }

    // MARK: - A whole clip

    /// Plans a dub: checks the inputs, computes the reference and lip latents, and decides for
    /// every output frame in ``DubbingOptions/frameRange`` its input frame, face square,
    /// landmarks and lip latent (see ``DubbingPlan``).
    ///
    /// The output's length and rate follow ``OutputTimeline``: as long as the speech
    /// (``DubbingOptions/fit`` `.speech`: a shorter clip runs forward then backward) or the
    /// original's `min(speech, video)` (`.shortest`); at 25 fps, or with
    /// ``DubbingOptions/frameRate`` `.source` at `sourceRate`, the lip latents interpolated to
    /// each frame's time. Everything that can be checked without the models (options, noise
    /// shape, the step count, landmarks against the frames to dub) is checked before any model
    /// runs.
    ///
    /// - Parameters:
    ///   - frames: the input clip (frames of one size). A source of unknown length is read once
    ///     to count its frames.
    ///   - landmarks: the 68 landmarks of every frame, in the frames' pixels.
    ///   - regions: the square dubbed in each input frame (a face track's); `nil` for
    ///     ``DubbingOptions/faceRegion`` (or the whole frame).
    ///   - hubert: Hubert features `[layers, T, A]` or `[1, layers, T, A]` (50 Hz).
    ///   - noise: `x_T` `[1, 3, S, S]`, shared by all frames.
    ///   - sourceRate: the rate `frames` are read at, for ``DubbingOptions/FrameRateChoice/source``.
    ///   - progress: reports while encoding references and predicting lip latents.
    ///   - checkCancellation: called between stages; what it throws ends the planning.
    package func plan(
        frames source: any FrameSource, landmarks: LandmarkTrack, regions: FaceRegions? = nil, hubert: Tensor,
        noise: Tensor, options: DubbingOptions, sourceRate: FrameRate? = nil, progress: ProgressHandler? = nil,
        checkCancellation: () throws -> Void = {}
    ) throws -> DubbingPlan {
        try options.validate()
        guard noise.shape == noiseShape else { throw DubbingError.invalidNoise(shape: noise.shape, expected: noiseShape) }
        _ = try options.sampler.sampler.schedule(renderer.schedule, steps: options.steps)  // fail before any work
        let isStill = source is StillFrame
        let known = isStill ? nil : try source.frameCount ?? Self.countFrames(of: source)
        if known == 0 { throw DubbingError.noFrames(input: source.name) }
        if let known, options.referenceFrame >= known {
            throw DubbingError.referenceFrameOutOfRange(index: options.referenceFrame, frames: known)
        }
        let hubertFrames = hubert.rank >= 2 ? hubert.shape[hubert.rank - 2] : 0
        let latentCount = latentCount(hubertFrames: hubertFrames)
        let rate = options.frameRate == .source ? sourceRate ?? .model : .model
        let timeline = try OutputTimeline(
            latentCount: latentCount, sourceFrameCount: known, fit: options.fit,
            frameRate: rate == .model ? .model : .source(rate))
        try options.checkOutput(timeline)
        let planned = options.frameRange.clamped(toCount: timeline.frameCount)
        let sources = planned.map { timeline.sourceFrame(forOutput: $0) }
        let regions = regions ?? FaceRegions(options.faceRegion)
        if let covered = landmarks.count, let needed = sources.max(), covered <= needed {
            throw DubbingError.landmarkCountMismatch(
                input: source.name, landmarks: covered, frames: min(timeline.frameCount, known ?? timeline.frameCount))
        }
        let frames = sources.map { index in
            let region = Self.region(regions, forFrame: index)
            let face = regions.hasNoRegion(atFrame: index) ? nil : landmarks.landmarks(forFrame: index)
            return PlannedFrame(source: index, region: region, landmarks: face)
        }
        var warnings: [String] = []
        if timeline.cutsSpeech, let known {
            warnings.append(
                "\(source.name) has \(known) frames but the speech lasts \(latentCount) lip latents: the output ends with the video")
        }
        let withoutFace = frames.indices.filter { frames[$0].landmarks == nil }.map { $0 + planned.lowerBound }
        if !withoutFace.isEmpty {
            let listed = withoutFace.prefix(10).map(String.init).joined(separator: ", ") + (withoutFace.count > 10 ? ", ..." : "")
            warnings.append("no face found in \(withoutFace.count) frame(s) (\(listed)): kept unchanged")
        }

        // 1. Reference latents.
        try checkCancellation()
        let references = try referenceFaces(source: source, regions: regions, landmarks: landmarks, options: options)
        let tracker = try ProgressTracker(stage: .referenceLatents, total: references.encoded.count, handler: progress)
        let encoded = try referenceLatents(
            of: references.encoded, batchSize: options.batchSize, precision: options.precision)
        try tracker.report(completed: references.encoded.count)
        let referenceLatents = Self.arrange(encoded, mode: options.referenceMode, count: options.referenceCount)

        // 2. Lip latents, one per output frame.
        try checkCancellation()
        let lipTracker = try ProgressTracker(stage: .lipLatents, total: 1, handler: progress)
        let lip = try lipLatents(hubert: hubert, referenceLatents: referenceLatents)
        try lipTracker.report(completed: 1)
        let rows = planned.isEmpty ? Tensor(zeros: [0, lip.shape[1]]) : timeline.latents(lip, forOutputs: planned)

        return DubbingPlan(
            imageSize: imageSize, firstFrame: planned.lowerBound, frames: frames, lipLatents: rows,
            reference: references.reference, noise: noise, options: options, frameRate: rate,
            latentCount: latentCount, inputFrameCount: known, warnings: warnings)
    }

    /// The square of input frame `index`: `nil` for the whole frame, a fixed square, or the
    /// frame's own (`nil` also for a frame without one, which then has no face either).
    static func region(_ regions: FaceRegions, forFrame index: Int) -> FaceRegion? {
        switch regions {
        case .whole: nil
        case .fixed(let region): region
        case .perFrame(let all): index >= 0 && index < all.count ? all[index] : nil
        }
    }

    /// Renders output frames `indices` of `plan` (numbers in ``DubbingPlan/outputFrames``) from
    /// their model-resolution `faces` (``DubbingPlan/face(ofFrame:input:)``), in one batch;
    /// returns the `S x S` frames exactly as the original writes them.
    ///
    /// - Parameter progress: called after every denoising step; what it throws ends the render.
    package func render(
        _ plan: DubbingPlan, frames indices: [Int], faces: [FaceFrame], progress: SamplingProgress? = nil
    ) throws -> [RGBImage] {
        precondition(indices.count == faces.count, "Dubber.render: \(indices.count) frames, \(faces.count) faces")
        guard !indices.isEmpty else { return [] }
        let latents = concat(
            indices.map { slice(plan.lipLatents, axis: 0, ($0 - plan.firstFrame)..<($0 - plan.firstFrame + 1)) }, axis: 0)
        return try render(
            faces: faces, latents: latents, reference: plan.reference, noise: plan.noise, steps: plan.options.steps,
            sampler: plan.options.sampler.sampler, precision: plan.options.precision, progress: progress)
    }

    /// The number of frames of a source that does not know it, by reading it once.
    static func countFrames(of source: any FrameSource) throws -> Int {
        let reader = try source.makeReader()
        var count = 0
        while try reader.next() != nil { count += 1 }
        return count
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
        source: any FrameSource, regions: FaceRegions, landmarks: LandmarkTrack, options: DubbingOptions
    ) throws -> (reference: FaceFrame, encoded: [FaceFrame]) {
        let wanted = options.referenceMode == .fewShot ? max(options.referenceCount, options.referenceFrame + 1) : options.referenceFrame + 1
        let reader = try source.makeReader()
        var encoded: [FaceFrame] = []
        var reference: FaceFrame?
        var index = 0
        while index < wanted, let frame = try reader.next() {
            // Few-shot encodes every frame up to the count; one-shot only the reference frame.
            // Frames without a detected face are skipped.
            let points = regions.hasNoRegion(atFrame: index) ? nil : landmarks.landmarks(forFrame: index)
            let hasFace = points != nil || !(landmarks.hasNoFace(atFrame: index) || regions.hasNoRegion(atFrame: index))
            let encodes = options.referenceMode == .fewShot && index < options.referenceCount && hasFace
            if index == options.referenceFrame && !hasFace {
                throw DubbingError.noFaceInReference(frame: index, firstWithFace: Self.firstFace(in: landmarks, regions: regions))
            }
            if encodes || index == options.referenceFrame {
                guard let points else { throw DubbingError.missingLandmarks(frame: index, landmarks: landmarks.count ?? 0) }
                let crop = FaceCrop(region: Self.region(regions, forFrame: index), size: imageSize)
                let face = try crop.face(of: frame, landmarks: points, index: index)
                if encodes { encoded.append(face) }
                if index == options.referenceFrame { reference = face }
            }
            index += 1
        }
        guard index > 0 else { throw DubbingError.noFrames(input: source.name) }
        if options.referenceMode == .fewShot && encoded.isEmpty {
            throw DubbingError.noFaceInReference(frame: 0, firstWithFace: Self.firstFace(in: landmarks, regions: regions))
        }
        guard let reference else {
            throw DubbingError.referenceFrameOutOfRange(index: options.referenceFrame, frames: index)
        }
        return (reference, options.referenceMode == .oneShot ? [reference] : encoded)
    }

    /// The first frame of a detected track with a face (and a region).
    static func firstFace(in track: LandmarkTrack, regions: FaceRegions) -> Int? {
        guard case .detected(let all) = track else { return nil }
        return all.indices.first { all[$0] != nil && !regions.hasNoRegion(atFrame: $0) }
    }
}
