extension DubbingSession {
    /// Does the per-clip work of a dub and returns its plan: the speech features (from a
    /// waveform with the speech encoder), the face track (detected with the face analyzer, or
    /// given), then `Dubber.plan(frames:landmarks:regions:hubert:noise:options:sourceRate:progress:checkCancellation:)`:
    /// the reference and lip latents and every output frame's input frame, face square and
    /// landmarks.
    ///
    /// Runs on a thread of its own with `compute`'s threads; cancelling the calling task, or
    /// `progress` answering ``ProgressAction/stop``, ends it with `CancellationError`.
    ///
    /// - Throws: ``DubbingError`` naming what is wrong with an input (shapes, NaN or infinite
    ///   values, counts, options), the models' errors, `CancellationError`.
    public func prepare(
        _ inputs: DubbingInputs, options: DubbingOptions, compute: ComputeSettings = ComputeSettings(),
        progress: ProgressHandler? = nil
    ) async throws -> DubbingPlan {
        try await runOnOwnThread { check in
            try prepareSynchronously(inputs, options: options, compute: compute, progress: progress, checkCancellation: check)
        }
    }

    /// ``prepare(_:options:compute:progress:)`` on the calling thread; what `checkCancellation`
    /// throws ends it.
    package func prepareSynchronously(
        _ inputs: DubbingInputs, options: DubbingOptions, compute: ComputeSettings = ComputeSettings(),
        progress: ProgressHandler? = nil, checkCancellation: @escaping () throws -> Void = {}
    ) throws -> DubbingPlan {
        try options.validate()
        if case .detect = inputs.landmarks, faceAnalyzer == nil {
            throw DubbingError.missingModel("face analyzer (FaceBoxesV2 + PIPNet) to detect the faces")
        }
        if case .waveform = inputs.speech, speechEncoder == nil {
            throw DubbingError.missingModel("speech encoder (chinese-hubert-large) to compute speech features")
        }
        return try compute.run {
            let hubert = try speechFeatures(inputs.speech, progress: progress)
            try checkCancellation()
            let noise = inputs.noise ?? GaussianNoise.sample(shape: dubber.noiseShape, seed: inputs.noiseSeed)
            try Self.checkFinite(noise, input: "the noise")
            let track: LandmarkTrack
            var regions = FaceRegions(options.faceRegion)
            switch inputs.landmarks {
            case .track(let given, let name):
                try Self.checkFinite(given, input: name)
                track = given
            case .detect(let tracking):
                let faces = try trackFaces(
                    in: inputs.frames, tracking: tracking, faceRegion: options.faceRegion, progress: progress)
                track = faces.landmarkTrack
                if options.faceRegion == nil { regions = faces.regions }
            }
            try checkCancellation()
            let shaped = noise.rank == 3 ? noise.reshaped([1] + noise.shape) : noise
            var plan = try dubber.plan(
                frames: inputs.frames, landmarks: track, regions: regions, hubert: hubert, noise: shaped,
                options: options, sourceRate: inputs.frameRate, progress: progress, checkCancellation: checkCancellation)
            plan.warnings = inputs.warnings + plan.warnings
            return plan
        }
    }

    /// Tracks the face through `source` with the session's face analyzer (``FaceTracker``:
    /// shots, a smoothed square per frame, landmarks), `faceRegion` as a fixed square when set;
    /// frames whose mouth mask would be empty at the renderer's size are kept unchanged.
    ///
    /// - Throws: ``DubbingError/missingModel(_:)`` when the session has no face analyzer.
    package func trackFaces(
        in source: any FrameSource, tracking: FaceTrackingOptions, faceRegion: FaceRegion? = nil,
        progress: ProgressHandler? = nil
    ) throws -> FaceTrack {
        guard let faceAnalyzer else { throw DubbingError.missingModel("face analyzer (FaceBoxesV2 + PIPNet)") }
        var tracking = tracking
        tracking.region = faceRegion ?? tracking.region
        return try FaceTracker(analyzer: faceAnalyzer, options: tracking).track(source, progress: progress)
            .checkingMasks(imageSize: dubber.imageSize)
    }

    /// The Hubert features of `speech`, checked against the lip predictor: `[layers, T, A]`.
    func speechFeatures(_ speech: DubbingInputs.Speech, progress: ProgressHandler?) throws -> Tensor {
        let features: Tensor
        let input: String
        switch speech {
        case .features(let tensor, let name):
            (features, input) = (tensor, name)
        case .waveform(let samples, let sampleRate, let name):
            guard let speechEncoder else { throw DubbingError.missingModel("speech encoder") }
            let tracker = try ProgressTracker(stage: .speechFeatures, total: 1, handler: progress)
            features = try speechEncoder.features(samples: samples, sampleRate: sampleRate)
            input = name
            try tracker.report(completed: 1)
        }
        let configuration = dubber.lipPredictor.configuration
        let shape = features.rank == 4 && features.shape[0] == 1 ? Array(features.shape.dropFirst()) : features.shape
        let expected = "[\(configuration.hubertLayers), T, \(configuration.audioWidth)] (or with a leading 1)"
        guard shape.count == 3 else {
            let hint = shape.count == 2 ? ": every hidden state is needed, not only the last layer" : ""
            throw DubbingError.invalidSpeechFeatures(input: input, shape: features.shape, expected: expected + hint)
        }
        guard shape[0] == configuration.hubertLayers, shape[2] == configuration.audioWidth, shape[1] > 0 else {
            throw DubbingError.invalidSpeechFeatures(
                input: input, shape: features.shape, expected: expected + " to match the stage-2 checkpoint")
        }
        try Self.checkFinite(features, input: input)
        return features
    }

    /// Refuses a tensor holding NaN or infinite values, naming `input` and the first bad index.
    package static func checkFinite(_ tensor: Tensor, input: String) throws {
        guard let bad = tensor.firstNonFinite() else { return }
        throw DubbingError.nonFinite(input: input, index: bad.index, value: bad.value)
    }

    /// Refuses landmarks holding NaN or infinite coordinates, naming `input`, the frame and point.
    package static func checkFinite(_ track: LandmarkTrack, input: String) throws {
        let frames: [FaceLandmarks?] =
            switch track {
            case .perFrame(let all): all
            case .fixed(let one): [one]
            case .detected(let all): all
            }
        for (frame, landmarks) in frames.enumerated() {
            guard let landmarks else { continue }
            if let point = landmarks.points.firstIndex(where: { !$0.x.isFinite || !$0.y.isFinite }) {
                let p = landmarks.points[point]
                throw DubbingError.nonFinite(input: input, index: [frame, point], value: p.x.isFinite ? p.y : p.x)
            }
        }
    }
}
