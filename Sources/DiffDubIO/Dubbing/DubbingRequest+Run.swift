import DiffDubCore
import Foundation

extension DubbingRequest {
    /// Checks the inputs, loads the models, dubs and writes the output.
    ///
    /// The work runs on a thread of its own (the calling task is not blocked); the kernels use
    /// ``compute``. Cancelling the calling task stops the run at the next denoising step or
    /// frame, removes the partial output and throws `CancellationError`.
    ///
    /// - Parameter progress: reports of every stage, at least once per denoising step while
    ///   rendering (called on the working thread).
    /// - Returns: what was rendered, with warnings (a video shorter than the speech, frames
    ///   without a face).
    /// - Throws: ``DubbingRequestError``, ``DubbingError`` and the readers' errors (each names
    ///   the file), `CancellationError`.
    public func run(progress: ProgressHandler? = nil) async throws -> DubbingSummary {
        try Task.checkCancellation()
        let flag = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<DubbingSummary, any Error>) in
                let thread = Thread {
                    continuation.resume(
                        with: Result {
                            try self.runSynchronously(progress: progress) {
                                if flag.isCancelled { throw CancellationError() }
                            }
                        })
                }
                thread.stackSize = 16 << 20
                thread.start()
            }
        } onCancel: {
            flag.cancel()
        }
    }

    /// ``run(progress:)`` on the calling thread; `checkCancellation` is called between frames
    /// and denoising steps, and what it throws ends the run (the partial output is removed).
    package func runSynchronously(
        progress: ProgressHandler? = nil, checkCancellation: @escaping () throws -> Void = {}
    ) throws -> DubbingSummary {
        try options.validate()
        try checkFilesExist()
        return try compute.run {
            let inputs = try prepareInputs(progress: progress, checkCancellation: checkCancellation)
            try checkCancellation()
            let plan = try inputs.plan(progress: progress, checkCancellation: checkCancellation)
            try FrameOutput.writing(to: try makeSink(rate: plan.frameRate)) { sink in
                try inputs.dubber.render(
                    plan, from: inputs.source, to: sink, progress: progress, checkCancellation: checkCancellation)
            }
            return DubbingSummary(plan: plan)
        }
    }

    /// Everything the pipeline needs, read and checked.
    package struct PreparedInputs {
        /// The models.
        package var dubber: Dubber
        /// The frames (a video counted ahead).
        package var source: any FrameSource
        /// The rate the frames are read at (a video's), if they have one.
        package var sourceRate: FrameRate?
        /// The landmarks of every input frame.
        package var track: LandmarkTrack
        /// The square dubbed in each input frame.
        package var regions: FaceRegions
        /// The speech features.
        package var hubert: Tensor
        /// `x_T`.
        package var noise: Tensor
        /// The options.
        package var options: DubbingOptions
        /// What reading the inputs found that the user should know (damaged video frames).
        package var warnings: [String] = []

        /// The dub's plan (``Dubber/plan(frames:landmarks:regions:hubert:noise:options:sourceRate:progress:checkCancellation:)``).
        package func plan(progress: ProgressHandler?, checkCancellation: () throws -> Void) throws -> DubbingPlan {
            var plan = try dubber.plan(
                frames: source, landmarks: track, regions: regions, hubert: hubert, noise: noise, options: options,
                sourceRate: sourceRate, progress: progress, checkCancellation: checkCancellation)
            plan.warnings = warnings + plan.warnings
            return plan
        }
    }

    /// Loads the models and reads every input, checking shapes, counts and values, in the
    /// order of their cost (face detection last).
    package func prepareInputs(
        progress: ProgressHandler?, checkCancellation: @escaping () throws -> Void
    ) throws -> PreparedInputs {
        if case .detect(let detection) = landmarks {
            // Fail before any long work when a face model is missing.
            _ = try FaceModelFiles.detector(detection.detector)
            _ = try FaceModelFiles.landmarkModel(detection.landmarkModel)
        }
        let loading = ProgressTracker(stage: .loadingModels, total: 1, handler: progress)
        let dubber = try loadModels()
        loading.report(completed: 1)
        try checkCancellation()
        let hubert = try readHubert(for: dubber.lipPredictor.configuration, progress: progress)
        let noise = try readNoise(shape: dubber.noiseShape)
        if let audio, case .video = output {
            let clip = try AudioFile.read(audio)
            guard clip.frameCount > 0 else { throw DubbingRequestError.emptyAudio(path: audio.path) }
            guard !clip.isSilent else { throw AudioError.silent(path: audio.path) }
        }
        var (source, frameNames) = try openFrames()
        var sourceRate: FrameRate?
        var warnings: [String] = []
        if let video = source as? VideoFileSource {
            warnings += try checkTiming(of: video)
            // A video's length is only known once decoded: count it (without converting pixels)
            // so that the timeline and the landmarks are settled before any model runs.
            sourceRate = video.rate
            source = CountedFrameSource(base: video, frameCount: try video.countFrames())
        }
        let track: LandmarkTrack
        var regions = FaceRegions(options.faceRegion)
        switch landmarks {
        case .detect(let detection):
            try checkCancellation()
            let faces = try trackFaces(in: source, detection: detection, imageSize: dubber.imageSize, progress: progress)
            track = faces.landmarkTrack
            if options.faceRegion == nil { regions = faces.regions }
        case .file(let url):
            track = try landmarkTrack(url, frameNames: frameNames)
            try Self.checkFinite(track, input: url.path)
        case .track(let given):
            track = given
            try Self.checkFinite(track, input: "the landmark track")
        }
        return PreparedInputs(
            dubber: dubber, source: source, sourceRate: sourceRate, track: track, regions: regions, hubert: hubert,
            noise: noise, options: options, warnings: warnings)
    }

    /// The dubber: the loaded models, or the checkpoints read and paired.
    public func loadModels() throws -> Dubber {
        switch models {
        case .loaded(let dubber):
            return dubber
        case .files(let stage1, let stage2, let imageSize):
            return try Dubber(
                renderer: Renderer(checkpoint: stage1, imageSize: imageSize),
                lipPredictor: LipLatentPredictor(checkpoint: stage2))
        }
    }

    /// Tracks the face through `source` (``FaceTracker``: shots, a smoothed square per frame,
    /// landmarks), with ``DubbingOptions/faceRegion`` as a fixed square when set; frames whose
    /// mouth mask would be empty at `imageSize` are kept unchanged.
    public func trackFaces(
        in source: any FrameSource, detection: FaceDetection, imageSize: Int, progress: ProgressHandler? = nil
    ) throws -> FaceTrack {
        let analyzer = try FaceModelFiles.analyzer(detector: detection.detector, landmarkModel: detection.landmarkModel)
        var tracking = detection.tracking
        tracking.region = options.faceRegion ?? tracking.region
        return try FaceTracker(analyzer: analyzer, options: tracking).track(source, progress: progress)
            .checkingMasks(imageSize: imageSize)
    }

    func checkFilesExist() throws {
        var required: [(String, URL)] = []
        switch speech {
        case .hubertFeatures(let url): required.append(("Hubert features", url))
        case .hubertModel(let url):
            required.append(("Hubert model folder", url))
            if audio == nil { throw DubbingRequestError.audioRequired }
        case .features: break
        }
        if case .files(let stage1, let stage2, _) = models {
            required += [("stage-1 checkpoint", stage1), ("stage-2 checkpoint", stage2)]
        }
        switch frames {
        case .video(let url): required.append(("video", url))
        case .frameFolder(let url): required.append(("frame folder", url))
        case .image(let url): required.append(("image", url))
        case .source: break
        }
        switch landmarks {
        case .file(let url): required.append(("landmarks", url))
        case .detect(let detection):
            if let url = detection.detector { required.append(("face detector", url)) }
            if let url = detection.landmarkModel { required.append(("landmark model", url)) }
        case .track: break
        }
        if let audio { required.append(("audio", audio)) }
        if case .file(let url) = noise { required.append(("noise", url)) }
        for (role, url) in required where !FileManager.default.fileExists(atPath: url.path) {
            throw DubbingRequestError.missingFile(role: role, path: url.path)
        }
    }

    private func readHubert(
        for configuration: LipLatentPredictorConfiguration, progress: ProgressHandler?
    ) throws -> Tensor {
        let features: Tensor
        let input: String
        switch speech {
        case .hubertFeatures(let url):
            input = url.path
            features = try NumPyFile.readTensor(url)
        case .hubertModel(let folder):
            guard let audio else { throw DubbingRequestError.audioRequired }
            input = audio.path
            let tracker = ProgressTracker(stage: .speechFeatures, total: 1, handler: progress)
            features = try HubertFeatureExtractor(modelFolder: folder).features(forAudioAt: audio)
            tracker.report(completed: 1)
        case .features(let tensor):
            input = "the Hubert features"
            features = tensor
        }
        let shape = features.rank == 4 && features.shape[0] == 1 ? Array(features.shape.dropFirst()) : features.shape
        let expected = "[\(configuration.hubertLayers), T, \(configuration.audioWidth)] (or with a leading 1)"
        guard shape.count == 3 else {
            let hint = shape.count == 2 ? ": every hidden state is needed, not only the last layer" : ""
            throw DubbingRequestError.invalidHubert(input: input, shape: features.shape, expected: expected + hint)
        }
        guard shape[0] == configuration.hubertLayers, shape[2] == configuration.audioWidth, shape[1] > 0 else {
            throw DubbingRequestError.invalidHubert(
                input: input, shape: features.shape, expected: expected + " to match the stage-2 checkpoint")
        }
        try Self.checkFinite(features, input: input)
        return features
    }

    private func readNoise(shape: [Int]) throws -> Tensor {
        let tensor: Tensor
        let input: String
        switch noise {
        case .seed(let seed):
            return GaussianNoise.sample(shape: shape, seed: seed)
        case .file(let url):
            tensor = try NumPyFile.readTensor(url)
            input = url.path
        case .tensor(let given):
            tensor = given
            input = "the noise"
        }
        guard tensor.shape == shape || [1] + tensor.shape == shape else {
            throw DubbingRequestError.invalidNoise(input: input, shape: tensor.shape, expected: shape)
        }
        try Self.checkFinite(tensor, input: input)
        return tensor.reshaped(shape)
    }

    /// The frame source and, where frames have names, their names (for per-frame landmarks).
    func openFrames() throws -> (any FrameSource, [String]?) {
        switch frames {
        case .video(let url):
            return (options.frameRate == .source ? try VideoFileSource(atSourceRateOf: url) : try VideoFileSource(url), nil)
        case .frameFolder(let url):
            let source = try FrameFolderSource(url)
            return (source, source.folder.frameNames)
        case .image(let url):
            return (StillFrame(try PNGFile.read(url), name: url.path), nil)
        case .source(let source):
            return (source, nil)
        }
    }

    func makeSink(rate: FrameRate) throws -> any FrameSink {
        switch output {
        case .video(let url): try VideoFileSink(url, audio: audio, rate: rate)
        case .frameFolder(let url): try PNGFolderSink(url)
        case .sink(let sink): sink
        }
    }

    private var isPortrait: Bool {
        switch frames {
        case .image: true
        case .source(let source): source is StillFrame
        default: false
        }
    }

    private func landmarkTrack(_ url: URL, frameNames: [String]?) throws -> LandmarkTrack {
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder)
        if isPortrait {
            if isFolder.boolValue {
                throw DubbingRequestError.landmarksMismatch(
                    path: url.path, reason: "a portrait needs one landmarks file, not a folder")
            }
            if let points = try? LandmarksFile.readPoints(url) { return .fixed(points) }
            let table = try LandmarksFile.readTable(url)
            guard let first = table.first else {
                throw DubbingRequestError.landmarksMismatch(path: url.path, reason: "no landmarks in the table")
            }
            return .fixed(first.landmarks)
        }
        if isFolder.boolValue {
            if let frameNames { return .perFrame(try LandmarksFile.readFolder(url, frames: frameNames)) }
            // A video: the folder's .txt files in natural order stand for frames 0, 1, ...
            let names = try FileManager.default.contentsOfDirectory(atPath: url.path)
                .filter { $0.lowercased().hasSuffix(".txt") && !$0.hasPrefix(".") }
                .sorted(by: FrameFolder.naturallyPrecedes)
            return .perFrame(try names.map { try LandmarksFile.readPoints(url.appendingPathComponent($0)) })
        }
        let table = try LandmarksFile.readTable(url)
        if let frameNames {
            return .perFrame(try LandmarksFile.landmarks(for: frameNames, in: table, path: url.path))
        }
        return .perFrame(table.map(\.landmarks))
    }

    /// Refuses a tensor holding NaN or infinite values, naming `input` and the first bad index.
    static func checkFinite(_ tensor: Tensor, input: String) throws {
        guard let bad = tensor.firstNonFinite() else { return }
        throw DubbingError.nonFinite(input: input, index: bad.index, value: bad.value)
    }

    /// Refuses landmarks holding NaN or infinite coordinates, naming `input`, the frame and point.
    static func checkFinite(_ track: LandmarkTrack, input: String) throws {
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

/// A frame source whose length was counted ahead (a decoded video).
struct CountedFrameSource: FrameSource {
    let base: any FrameSource
    let frameCount: Int?
    var name: String { base.name }

    init(base: any FrameSource, frameCount: Int) {
        self.base = base
        self.frameCount = frameCount
    }

    func makeReader() throws -> any FrameReader { try base.makeReader() }
}

/// Set from a task's cancellation handler, read by the working thread.
final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    /// Whether ``cancel()`` was called.
    var isCancelled: Bool { lock.withLock { cancelled } }

    /// Marks the run cancelled.
    func cancel() { lock.withLock { cancelled = true } }
}
