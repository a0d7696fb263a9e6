/// One home for dubs: the models, loaded once, and the two calls every dub goes through.
///
/// ```swift
/// let session = try DubbingSession(renderer: renderer, lipPredictor: predictor, faceAnalyzer: faces)
/// let plan = try await session.prepare(inputs, options: options)          // per clip
/// try await session.render(plan, from: .clip(inputs.frames), into: sink)  // the one render loop
/// ```
///
/// - ``prepare(_:options:compute:progress:)`` does the per-clip work: speech features, face
///   tracks, reference and lip latents, the output timeline; the ``DubbingPlan`` it returns holds
///   every option that changes the result, so it can be stored (a job folder) and rendered
///   anywhere, in any number of pieces, with the same frames as a whole dub.
/// - ``render(_:from:into:blocks:compute:progress:)`` is the one render loop: `diffdub dub`, the
///   job shards, the examples and any app use it.
///
/// A session is a value of immutable models (`Sendable`): any number of dubs may use it, also at
/// the same time (each call has its own buffers and threads, ``ComputeSettings``).
public struct DubbingSession: Sendable {
    /// Stage 1 and stage 2.
    public let dubber: Dubber
    /// FaceBoxesV2 + PIPNet, for inputs whose landmarks are detected (``DubbingInputs/Landmarks/detect(_:)``).
    public let faceAnalyzer: FaceAnalyzer?
    /// chinese-hubert-large, for speech given as a waveform (``DubbingInputs/Speech/waveform(samples:sampleRate:name:)``).
    public let speechEncoder: HubertFeatureExtractor?

    /// A session of loaded models; the face analyzer and the speech encoder are needed only by
    /// inputs that detect faces or carry a waveform.
    public init(dubber: Dubber, faceAnalyzer: FaceAnalyzer? = nil, speechEncoder: HubertFeatureExtractor? = nil) {
        self.dubber = dubber
        self.faceAnalyzer = faceAnalyzer
        self.speechEncoder = speechEncoder
    }

    /// A session pairing a renderer and a lip predictor.
    ///
    /// - Throws: ``DubbingError/latentWidthMismatch(renderer:predictor:)`` when they are not a pair.
    public init(
        renderer: Renderer, lipPredictor: LipLatentPredictor, faceAnalyzer: FaceAnalyzer? = nil,
        speechEncoder: HubertFeatureExtractor? = nil
    ) throws {
        self.init(
            dubber: try Dubber(renderer: renderer, lipPredictor: lipPredictor), faceAnalyzer: faceAnalyzer,
            speechEncoder: speechEncoder)
    }
}
