/// One output frame of a ``DubbingPlan``.
public struct PlannedFrame: Sendable, Hashable, Codable {
    /// The input frame it is made from.
    public var source: Int
    /// The square of the input frame that is dubbed; `nil` for the whole (square) frame.
    public var region: FaceRegion?
    /// The face's 68 landmarks in the input frame's pixels; `nil` when the frame has no face
    /// (it is then kept unchanged).
    public var landmarks: FaceLandmarks?

    /// A planned frame.
    package init(source: Int, region: FaceRegion?, landmarks: FaceLandmarks?) {
        self.source = source
        self.region = region
        self.landmarks = landmarks
    }
}

/// Everything per clip that rendering needs, computed once by
/// `Dubber.plan(frames:landmarks:hubert:noise:options:progress:checkCancellation:)`: which
/// input frame and face square each output frame comes from, its lip latent, the reference
/// face `x_ref`, the shared noise and the render settings.
///
/// From a plan, every output frame is independent: `Dubber.render(_:frames:faces:progress:)`
/// renders any of them (on any machine, in any order) and `output(ofFrame:rendered:input:)`
/// turns a rendered face into the output frame, so a whole dub and a job split into shards go
/// through the same code.
public struct DubbingPlan: Sendable {
    /// The renderer's side `S`.
    public var imageSize: Int
    /// The output frame number of ``frames``' first entry (the start of
    /// ``DubbingOptions/frameRange``).
    public var firstFrame: Int
    /// The output frames, in order.
    public var frames: [PlannedFrame]
    /// One lip latent per output frame: `[frames.count, style]`.
    package var lipLatents: Tensor
    /// The reference face `x_ref` of every render.
    package var reference: FaceFrame
    /// `x_T` `[1, 3, S, S]`, shared by all frames.
    package var noise: Tensor
    /// The run's options (steps, sampler, batch size, raw output).
    public var options: DubbingOptions
    /// The rate of the output frames (25/1, or the video's own with
    /// ``DubbingOptions/FrameRateChoice/source``).
    public var frameRate: FrameRate
    /// Lip latents stage 2 produced for the whole speech.
    package var latentCount: Int
    /// The number of input frames (`nil` for a portrait).
    package var inputFrameCount: Int?
    /// Things the user should know (the video is shorter than the speech, frames without a face).
    public var warnings: [String]

    /// A plan from its parts (see the properties).
    package init(
        imageSize: Int, firstFrame: Int, frames: [PlannedFrame], lipLatents: Tensor, reference: FaceFrame,
        noise: Tensor, options: DubbingOptions, frameRate: FrameRate = .model, latentCount: Int, inputFrameCount: Int?,
        warnings: [String]
    ) {
        self.frameRate = frameRate
        self.imageSize = imageSize
        self.firstFrame = firstFrame
        self.frames = frames
        self.lipLatents = lipLatents
        self.reference = reference
        self.noise = noise
        self.options = options
        self.latentCount = latentCount
        self.inputFrameCount = inputFrameCount
        self.warnings = warnings
    }

    /// The output frame numbers the plan covers.
    public var outputFrames: Range<Int> { firstFrame..<(firstFrame + frames.count) }


    /// The batches a run renders among output frames `frames` (numbers in ``outputFrames``):
    /// consecutive frames with a face, cut after every multiple of
    /// ``DubbingOptions/batchSize`` (absolute frame numbers) and at every frame without a face.
    ///
    /// This is the one definition of the batches, shared by a whole dub and by a job's shards:
    /// a batch never crosses a multiple of the batch size, so any range of whole blocks is
    /// rendered in the same batches as the whole clip and every frame comes out identical.
    package func batches(in frames: Range<Int>) -> [[Int]] {
        var batches: [[Int]] = []
        var current: [Int] = []
        for index in frames {
            if frame(index).landmarks == nil {
                if !current.isEmpty { batches.append(current) }
                current = []
                continue
            }
            current.append(index)
            if (index + 1) % max(1, options.batchSize) == 0 {
                batches.append(current)
                current = []
            }
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// The planned frame of output frame `index` (a number in ``outputFrames``).
    public func frame(_ index: Int) -> PlannedFrame { frames[index - firstFrame] }

    /// The output frames without a face (kept unchanged).
    public var framesWithoutFace: [Int] {
        frames.indices.filter { frames[$0].landmarks == nil }.map { $0 + firstFrame }
    }

    /// The model-resolution face of output frame `index`, from its input frame `input`; `nil`
    /// when the frame has no face.
    ///
    /// - Throws: ``DubbingError`` when the face square does not fit `input`.
    package func face(ofFrame index: Int, input: RGBImage) throws -> FaceFrame? {
        let planned = frame(index)
        guard let landmarks = planned.landmarks else { return nil }
        return try FaceCrop(region: planned.region, size: imageSize).face(of: input, landmarks: landmarks, index: planned.source)
    }

    /// Output frame `index`: with ``DubbingOptions/raw`` the rendered face itself (the
    /// model-resolution frame exactly as the original writes it), otherwise `rendered` scaled
    /// back into the face square of `input` through the feathered mouth mask. A frame without
    /// a face (`rendered` `nil`) is `input` unchanged (raw: its square at model resolution).
    package func output(ofFrame index: Int, rendered: RGBImage?, input: RGBImage) throws -> RGBImage {
        let planned = frame(index)
        let crop = FaceCrop(region: planned.region, size: imageSize)
        guard let rendered, let face = try face(ofFrame: index, input: input) else {
            guard options.raw else { return input }
            // A frame without a face in raw output: its square at model resolution (the largest
            // centred one when the frame has no square of its own).
            let side = min(input.height, input.width)
            let square = planned.region ?? FaceRegion(x: (input.width - side) / 2, y: (input.height - side) / 2, size: side)
            return try FaceCrop(region: square, size: imageSize).resizedSquare(of: input, index: planned.source)
        }
        return options.raw ? rendered : try crop.pasteBack(rendered, into: input, face: face, index: planned.source)
    }
}
