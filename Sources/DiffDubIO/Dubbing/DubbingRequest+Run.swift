import DiffDubCore
import Foundation

extension DubbingRequest {
    /// Checks the inputs, loads the models (unless ``models`` is a session), dubs and writes the
    /// output: `makeSession(rendererOnly:)`, `makeInputs(for:)`, then the session's
    /// `DubbingSession.prepare(_:options:compute:progress:)` and
    /// `DubbingSession.render(_:from:into:blocks:compute:progress:)`.
    ///
    /// The work runs on a thread of its own (the calling task is not blocked); the kernels use
    /// ``compute``. Cancelling the calling task, or `progress` answering `ProgressAction.stop`,
    /// stops the run at the next denoising step or frame, removes the partial output and throws
    /// `CancellationError`.
    ///
    /// - Parameter progress: reports of every stage, at least once per denoising step while
    ///   rendering (called on the working thread).
    /// - Returns: what was rendered, with warnings (a video shorter than the speech, frames
    ///   without a face).
    /// - Throws: ``DubbingRequestError``, `DubbingError` and the readers' errors (each names
    ///   the file), `CancellationError`.
    public func run(progress: ProgressHandler? = nil) async throws -> DubbingSummary {
        try await runOnOwnThread { check in try self.runSynchronously(progress: progress, checkCancellation: check) }
    }

    /// ``run(progress:)`` on the calling thread; `checkCancellation` is called between frames
    /// and denoising steps, and what it throws ends the run (the partial output is removed).
    package func runSynchronously(
        progress: ProgressHandler? = nil, checkCancellation: @escaping () throws -> Void = {}
    ) throws -> DubbingSummary {
        try options.validate()
        try checkFilesExist()
        try checkOutput()
        let session = try makeSession(progress: progress)
        try checkCancellation()
        let inputs = try makeInputs(for: session)
        let plan = try session.prepareSynchronously(
            inputs, options: options, compute: compute, progress: progress, checkCancellation: checkCancellation)
        _ = try session.renderSynchronously(
            plan, from: .clip(inputs.frames), into: try makeSink(rate: plan.frameRate), compute: compute,
            progress: progress, checkCancellation: checkCancellation)
        return DubbingSummary(plan: plan)
    }

    /// The session of ``models``: the checkpoints read and paired (or the models given), with
    /// the face analyzer when the landmarks are detected and the speech encoder when features
    /// are computed from the audio, unless `rendererOnly` (a job shard renders from a stored
    /// plan and needs neither).
    public func makeSession(rendererOnly: Bool = false, progress: ProgressHandler? = nil) throws -> DubbingSession {
        let loading = try ProgressTracker(stage: .loadingModels, total: 1, handler: progress)
        let given: DubbingSession
        switch models {
        case .session(let session): given = session
        case .loaded(let dubber): given = DubbingSession(dubber: dubber)
        case .files(let stage1, let stage2, let imageSize):
            given = try DubbingSession(
                renderer: Renderer(checkpoint: stage1, imageSize: imageSize, limits: limits),
                lipPredictor: LipLatentPredictor(checkpoint: stage2, limits: limits))
        }
        guard !rendererOnly else {
            try loading.report(completed: 1)
            return given
        }
        var faceAnalyzer = given.faceAnalyzer
        if faceAnalyzer == nil, case .detect(let detection) = landmarks {
            faceAnalyzer = try FaceModelFiles.analyzer(
                detector: detection.detector, landmarkModel: detection.landmarkModel, limits: limits)
        }
        var speechEncoder = given.speechEncoder
        if speechEncoder == nil, case .hubertModel(let folder) = speech {
            speechEncoder = try HubertFeatureExtractor(modelFolder: folder, limits: limits)
        }
        try loading.report(completed: 1)
        return DubbingSession(dubber: given.dubber, faceAnalyzer: faceAnalyzer, speechEncoder: speechEncoder)
    }

    /// Reads every input of the request for `session` (whose models fix the shapes), checking
    /// what can be checked before any model runs: the noise's shape, the audio of a video
    /// output, the landmarks against the frames' names; a video is counted ahead (without
    /// converting pixels) so the timeline is settled before any model runs.
    public func makeInputs(for session: DubbingSession) throws -> DubbingInputs {
        if case .detect(let detection) = landmarks, session.faceAnalyzer == nil {
            // Fail before any long work when a face model is missing.
            _ = try FaceModelFiles.detector(detection.detector)
            _ = try FaceModelFiles.landmarkModel(detection.landmarkModel)
        }
        let speechInput: DubbingInputs.Speech
        switch speech {
        case .hubertFeatures(let url): speechInput = .features(try NumPyFile.readTensor(url, limits: limits), name: url.path)
        case .features(let tensor): speechInput = .features(tensor, name: "the Hubert features")
        case .hubertModel:
            guard let audio else { throw DubbingRequestError.audioRequired }
            let clip = try AudioFile.read(audio, limits: limits)
            guard !clip.isSilent else { throw AudioError.silent(path: audio.path) }
            speechInput = .waveform(samples: clip.mono().samples, sampleRate: clip.sampleRate, name: audio.path)
        }
        let noiseTensor = try readNoise(shape: session.dubber.noiseShape)
        if let audio, case .video = output {
            let clip = try AudioFile.read(audio, limits: limits)
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
        let landmarkInput: DubbingInputs.Landmarks
        switch landmarks {
        case .detect(let detection): landmarkInput = .detect(detection.tracking)
        case .file(let url): landmarkInput = .track(try landmarkTrack(url, frameNames: frameNames), name: url.path)
        case .track(let given): landmarkInput = .track(given, name: "the landmark track")
        }
        var seed: UInt64 = 0
        if case .seed(let value) = noise { seed = value }
        return DubbingInputs(
            frames: source, frameRate: sourceRate, landmarks: landmarkInput, speech: speechInput, noise: noiseTensor,
            noiseSeed: seed, warnings: warnings)
    }

    /// Tracks the face through `source` as a run of this request does
    /// (``DubbingSession/trackFaces(in:tracking:faceRegion:progress:)``), with the face models of
    /// `detection` and ``DubbingOptions/faceRegion``; the renderer's `imageSize` decides which
    /// frames have a usable mouth mask.
    package func trackFaces(
        in source: any FrameSource, detection: FaceDetection, imageSize: Int, progress: ProgressHandler? = nil
    ) throws -> FaceTrack {
        let analyzer = try FaceModelFiles.analyzer(
            detector: detection.detector, landmarkModel: detection.landmarkModel, limits: limits)
        var tracking = detection.tracking
        tracking.region = options.faceRegion ?? tracking.region
        return try FaceTracker(analyzer: analyzer, options: tracking).track(source, progress: progress)
            .checkingMasks(imageSize: imageSize)
    }

    /// Every file or folder the request reads, by role (checkpoints first); the one list that
    /// checks they exist, that a job fingerprints and that an output may not replace. Face
    /// models not given are located in the model folders unless `locatingFaceModels` is false.
    package func inputFiles(locatingFaceModels: Bool = true) throws -> [(role: String, url: URL)] {
        var files: [(String, URL)] = []
        if case .files(let stage1, let stage2, _) = models {
            files += [(InputRole.stage1, stage1), (InputRole.stage2, stage2)]
        }
        switch frames {
        case .video(let url): files.append((InputRole.video, url))
        case .frameFolder(let url): files.append((InputRole.frameFolder, url))
        case .image(let url): files.append((InputRole.image, url))
        case .source: break
        }
        switch landmarks {
        case .file(let url): files.append((InputRole.landmarks, url))
        case .detect(let detection):
            if case .session(let session) = models, session.faceAnalyzer != nil { break }
            if locatingFaceModels {
                files.append((InputRole.faceDetector, try FaceModelFiles.detector(detection.detector)))
                files.append((InputRole.landmarkModel, try FaceModelFiles.landmarkModel(detection.landmarkModel)))
            } else {
                if let url = detection.detector { files.append((InputRole.faceDetector, url)) }
                if let url = detection.landmarkModel { files.append((InputRole.landmarkModel, url)) }
            }
        case .track: break
        }
        switch speech {
        case .hubertFeatures(let url): files.append((InputRole.hubertFeatures, url))
        case .hubertModel(let url): files.append((InputRole.hubertModel, url))
        case .features: break
        }
        if let audio { files.append((InputRole.audio, audio)) }
        if case .file(let url) = noise { files.append((InputRole.noise, url)) }
        return files
    }

    /// The roles of ``inputFiles()``.
    package enum InputRole {
        static let stage1 = "stage-1 checkpoint"
        static let stage2 = "stage-2 checkpoint"
        static let video = "video"
        static let frameFolder = "frame folder"
        static let image = "image"
        static let landmarks = "landmarks"
        static let faceDetector = "face detector"
        static let landmarkModel = "landmark model"
        static let hubertFeatures = "Hubert features"
        static let hubertModel = "Hubert model folder"
        static let audio = "audio"
        static let noise = "noise"
    }

    /// Refuses a request whose files do not exist (naming the first) or that computes features
    /// without audio.
    func checkFilesExist() throws {
        if case .hubertModel = speech, audio == nil { throw DubbingRequestError.audioRequired }
        // Face models not given are located (and reported missing) when the session loads them.
        for (role, url) in try inputFiles(locatingFaceModels: false) where !FileManager.default.fileExists(atPath: url.path) {
            throw DubbingRequestError.missingFile(role: role, path: url.path)
        }
    }

    private func readNoise(shape: [Int]) throws -> Tensor {
        let tensor: Tensor
        let input: String
        switch noise {
        case .seed(let seed):
            return GaussianNoise.sample(shape: shape, seed: seed)
        case .file(let url):
            tensor = try NumPyFile.readTensor(url, limits: limits)
            input = url.path
        case .tensor(let given):
            tensor = given
            input = "the noise"
        }
        guard tensor.shape == shape || [1] + tensor.shape == shape else {
            throw DubbingRequestError.invalidNoise(input: input, shape: tensor.shape, expected: shape)
        }
        try DubbingSession.checkFinite(tensor, input: input)
        return tensor.reshaped(shape)
    }

    /// The frame source and, where frames have names, their names (for per-frame landmarks).
    func openFrames() throws -> (any FrameSource, [String]?) {
        switch frames {
        case .video(let url):
            return (
                options.frameRate == .source
                    ? try VideoFileSource(atSourceRateOf: url, limits: limits) : try VideoFileSource(url, limits: limits),
                nil
            )
        case .frameFolder(let url):
            let source = try FrameFolderSource(url, limits: limits)
            return (source, source.folder.frameNames)
        case .image(let url):
            return (StillFrame(try PNGFile.read(url, limits: limits), name: url.path), nil)
        case .source(let source):
            return (source, nil)
        }
    }

    func makeSink(rate: FrameRate) throws -> any FrameSink {
        switch output {
        case .video(let url): try VideoFileSink(url, audio: audio, rate: rate, outputGuard: outputGuard)
        case .frameFolder(let url): try PNGFolderSink(url, outputGuard: outputGuard)
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
            if let points = try? LandmarksFile.readPoints(url, limits: limits) { return .fixed(points) }
            let table = try LandmarksFile.readTable(url, limits: limits)
            guard let first = table.first else {
                throw DubbingRequestError.landmarksMismatch(path: url.path, reason: "no landmarks in the table")
            }
            return .fixed(first.landmarks)
        }
        if isFolder.boolValue {
            if let frameNames { return .perFrame(try LandmarksFile.readFolder(url, frames: frameNames, limits: limits)) }
            // A video: the folder's .txt files in natural order stand for frames 0, 1, ...
            let names = try FileManager.default.contentsOfDirectory(atPath: url.path)
                .filter { $0.lowercased().hasSuffix(".txt") && !$0.hasPrefix(".") }
                .sorted(by: FrameFolder.naturallyPrecedes)
            return .perFrame(try names.map { try LandmarksFile.readPoints(url.appendingPathComponent($0), limits: limits) })
        }
        let table = try LandmarksFile.readTable(url, limits: limits)
        if let frameNames {
            return .perFrame(try LandmarksFile.landmarks(for: frameNames, in: table, path: url.path))
        }
        return .perFrame(table.map(\.landmarks))
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
