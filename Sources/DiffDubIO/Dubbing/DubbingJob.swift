import DiffDubCore
import Foundation

/// A complete dubbing run described by files: checkpoints, the input clip (video, frame
/// folder or portrait image), landmarks, speech features, audio, and the output (`.mp4` or
/// a folder of PNG frames). `diffdub dub` is a thin layer over this type.
///
/// The output is written under a temporary name and appears only when the run succeeds.
public struct DubbingJob: Sendable {
    /// The input clip.
    public enum Input: Sendable, Equatable {
        /// Any video ffmpeg decodes, read at 25 fps.
        case video(URL)
        /// A folder of numbered PNG frames (natural order).
        case frames(URL)
        /// One portrait image, re-rendered for every lip latent.
        case image(URL)
    }

    /// The speech features stage 2 reads.
    public enum Speech: Sendable, Equatable {
        /// Precomputed Hubert features `.npy` (`[25, T, 1024]` or `[1, 25, T, 1024]`, 50 Hz).
        case features(URL)
        /// Computed from ``DubbingJob/audio`` with the Hubert model in this Hugging Face folder
        /// (`config.json` + `pytorch_model.bin` or `model.safetensors`).
        case hubertModel(URL)
    }

    /// Where the starting noise `x_T` comes from.
    public enum Noise: Sendable, Equatable {
        /// Standard-normal noise from a seed (``GaussianNoise``).
        case seed(UInt64)
        /// A `.npy` array `[1, 3, S, S]` (or `[3, S, S]`).
        case file(URL)
    }

    /// The models a job runs.
    public enum Models: Sendable {
        /// Stage-1 and stage-2 checkpoints (`stage1_state_dict.ckpt`, `stage2_state_dict.ckpt`).
        case checkpoints(stage1: URL, stage2: URL)
        /// Models already in memory.
        case loaded(Dubber)
    }

    /// The models.
    public var models: Models
    /// The clip to dub.
    public var input: Input
    /// Landmarks: a folder of per-frame `.txt` files, one landmarks table, or (portrait) one
    /// 68-line file; `nil`: found by face detection (FaceBoxesV2 + PIPNet), with the clip's
    /// face crop chosen automatically.
    public var landmarks: URL?
    /// Hubert features `.npy` (`[25, T, 1024]` or `[1, 25, T, 1024]`).
    public var hubert: URL? {
        get { if case .features(let url) = speech { url } else { nil } }
        set { if let newValue { speech = .features(newValue) } }
    }
    /// Where the speech features come from.
    public var speech: Speech
    /// The speech audio muxed into an `.mp4` output.
    public var audio: URL?
    /// The starting noise.
    public var noise: Noise = .seed(0)
    /// Overrides the image size inferred from the stage-1 checkpoint.
    public var imageSize: Int?
    /// Run options.
    public var options: DubbingOptions
    /// `.mp4` file or frame folder.
    public var output: URL

    // MARK: Face detection (used when `landmarks` is nil)

    /// FaceBoxesV2 weights; `nil`: searched as ``FaceModelFiles`` describes.
    public var detectorModel: URL?
    /// PIPNet weights; `nil`: searched as ``FaceModelFiles`` describes.
    public var landmarkModel: URL?
    /// Face choice, crop expansion, detection interval, smoothing. Without landmarks the clip's
    /// crop is found automatically unless ``DubbingOptions/faceRegion`` is set.
    public var faceTracking = FaceTrackingOptions()

    /// A job running `models` on `input` with the speech `speech`.
    public init(
        models: Models, input: Input, landmarks: URL?, speech: Speech, audio: URL?, output: URL,
        options: DubbingOptions = DubbingOptions()
    ) {
        self.models = models
        self.input = input
        self.landmarks = landmarks
        self.speech = speech
        self.audio = audio
        self.output = output
        self.options = options
    }

    /// A job with models in memory and precomputed Hubert features.
    public init(
        dubber: Dubber, input: Input, landmarks: URL?, hubert: URL, audio: URL?, output: URL,
        options: DubbingOptions = DubbingOptions()
    ) {
        self.init(
            models: .loaded(dubber), input: input, landmarks: landmarks, speech: .features(hubert), audio: audio,
            output: output, options: options)
    }

    /// A job reading checkpoints and precomputed Hubert features.
    public init(
        stage1: URL, stage2: URL, input: Input, landmarks: URL?, hubert: URL, audio: URL?, output: URL,
        options: DubbingOptions = DubbingOptions()
    ) {
        self.init(
            models: .checkpoints(stage1: stage1, stage2: stage2), input: input, landmarks: landmarks,
            speech: .features(hubert), audio: audio, output: output, options: options)
    }

    /// Whether the output is a video file (by extension) rather than a frame folder.
    public var writesVideo: Bool {
        FrameOutput.isVideo(output)
    }

    /// Loads the models and inputs, dubs, and writes the output.
    public func run(progress: ProgressHandler? = nil) throws -> DubbingSummary {
        try checkFilesExist()
        if landmarks == nil {
            // Fail before any long work when a face model is missing.
            _ = try FaceModelFiles.detector(detectorModel)
            _ = try FaceModelFiles.landmarkModel(landmarkModel)
        }
        let dubber = try loadModels()
        let hubertFeatures = try readHubert(for: dubber.lipPredictor.configuration)
        let noiseTensor = try readNoise(shape: dubber.noiseShape)
        if let audio, writesVideo {
            let clip = try AudioFile.read(audio)
            guard clip.frameCount > 0 else { throw DubbingJobError.emptyAudio(path: audio.path) }
        }
        let (source, frameNames) = try openInput()
        var options = self.options
        let track: LandmarkTrack
        if landmarks == nil {
            // Face detection: the clip's crop and per-frame landmarks.
            let faces = try detectFaces(in: source, progress: progress)
            options.faceRegion = faces.region
            track = faces.track
        } else {
            track = try landmarkTrack(frameNames: frameNames)
        }

        return try FrameOutput.writing(to: output, audio: audio) { sink in
            try dubber.dub(
                frames: source, landmarks: track, hubert: hubertFeatures, noise: noiseTensor, options: options,
                sink: sink, progress: progress)
        }
    }

    /// Runs face detection and landmarks over the input (see ``ClipFaceTracker``), with the
    /// user's ``DubbingOptions/faceRegion`` as the crop when set.
    public func detectFaces(in source: any FrameSource, progress: ProgressHandler? = nil) throws -> ClipFaces {
        let analyzer = try FaceModelFiles.analyzer(detector: detectorModel, landmarkModel: landmarkModel)
        var tracking = faceTracking
        tracking.region = options.faceRegion ?? tracking.region
        return try ClipFaceTracker(analyzer: analyzer, options: tracking).track(source, progress: progress)
    }

    /// The dubber: the loaded models, or the checkpoints read and paired.
    public func loadModels() throws -> Dubber {
        switch models {
        case .loaded(let dubber):
            return dubber
        case .checkpoints(let stage1, let stage2):
            return try Dubber(
                renderer: Renderer(checkpoint: stage1, imageSize: imageSize),
                lipPredictor: LipLatentPredictor(checkpoint: stage2))
        }
    }

    private func checkFilesExist() throws {
        var required: [(String, URL)] = []
        switch speech {
        case .features(let url): required.append(("Hubert features", url))
        case .hubertModel(let url):
            required.append(("Hubert model folder", url))
            if audio == nil { throw DubbingJobError.audioRequired }
        }
        if case .checkpoints(let stage1, let stage2) = models {
            required += [("stage-1 checkpoint", stage1), ("stage-2 checkpoint", stage2)]
        }
        switch input {
        case .video(let url): required.append(("video", url))
        case .frames(let url): required.append(("frame folder", url))
        case .image(let url): required.append(("image", url))
        }
        if let landmarks { required.append(("landmarks", landmarks)) }
        if landmarks == nil {
            if let detectorModel { required.append(("face detector", detectorModel)) }
            if let landmarkModel { required.append(("landmark model", landmarkModel)) }
        }
        if let audio { required.append(("audio", audio)) }
        if case .file(let url) = noise { required.append(("noise", url)) }
        for (role, url) in required where !FileManager.default.fileExists(atPath: url.path) {
            throw DubbingJobError.missingFile(role: role, path: url.path)
        }
    }

    private func readHubert(for configuration: LipLatentPredictorConfiguration) throws -> Tensor {
        let features: Tensor
        let hubert: URL
        switch speech {
        case .features(let url):
            hubert = url
            features = try NumPyFile.readTensor(url)
        case .hubertModel(let folder):
            guard let audio else { throw DubbingJobError.audioRequired }
            hubert = audio
            features = try HubertFeatureExtractor(modelFolder: folder).features(forAudioAt: audio)
        }
        let shape = features.rank == 4 && features.shape[0] == 1 ? Array(features.shape.dropFirst()) : features.shape
        let expected = "[\(configuration.hubertLayers), T, \(configuration.audioWidth)] (or with a leading 1)"
        guard shape.count == 3 else {
            let hint = shape.count == 2 ? ": every hidden state is needed, not only the last layer" : ""
            throw DubbingJobError.invalidHubert(path: hubert.path, shape: features.shape, expected: expected + hint)
        }
        guard shape[0] == configuration.hubertLayers, shape[2] == configuration.audioWidth, shape[1] > 0 else {
            throw DubbingJobError.invalidHubert(
                path: hubert.path, shape: features.shape, expected: expected + " to match the stage-2 checkpoint")
        }
        return features
    }

    private func readNoise(shape: [Int]) throws -> Tensor {
        switch noise {
        case .seed(let seed):
            return GaussianNoise.sample(shape: shape, seed: seed)
        case .file(let url):
            let tensor = try NumPyFile.readTensor(url)
            guard tensor.shape == shape || [1] + tensor.shape == shape else {
                throw DubbingJobError.invalidNoise(path: url.path, shape: tensor.shape, expected: shape)
            }
            return tensor.reshaped(shape)
        }
    }

    /// The frame source and, where frames have names, their names (for per-frame landmarks).
    private func openInput() throws -> (any FrameSource, [String]?) {
        switch input {
        case .video(let url):
            return (try VideoFileSource(url), nil)
        case .frames(let url):
            let source = try FrameFolderSource(url)
            return (source, source.folder.frameNames)
        case .image(let url):
            return (StillFrame(try PNGFile.read(url), name: url.path), nil)
        }
    }

    private func landmarkTrack(frameNames: [String]?) throws -> LandmarkTrack {
        guard let url = landmarks else { throw DubbingJobError.landmarksRequired }
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder)
        if case .image = input {
            if isFolder.boolValue {
                throw DubbingJobError.landmarksMismatch(
                    path: url.path, reason: "a portrait needs one landmarks file, not a folder")
            }
            if let points = try? LandmarksFile.readPoints(url) { return .fixed(points) }
            let table = try LandmarksFile.readTable(url)
            guard let first = table.first else {
                throw DubbingJobError.landmarksMismatch(path: url.path, reason: "no landmarks in the table")
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
}
