import DiffDubCore
import Foundation

/// One whole dub, described by values and paths: the models, the frames, their landmarks, the
/// speech, the noise, the options and where the output goes. ``run(progress:)`` checks every
/// input, runs the pipeline and writes the output; `diffdub dub` is a thin layer over it.
///
/// ```swift
/// var request = DubbingRequest(
///     models: .files(stage1: stage1URL, stage2: stage2URL),
///     frames: .video(clipURL), landmarks: .detect(),
///     speech: .hubertFeatures(speechNPY), audio: speechWAV,
///     output: .video(outputMP4))
/// request.options.steps = 20
/// let summary = try await request.run { report in print(report.stage, report.completed, report.total) }
/// ```
///
/// - The output path is checked before any model runs: it never replaces the working
///   directory, an input or a folder holding one, or a folder this tool did not write, and
///   replaces an existing output only with ``overwrite`` (`checkOutput()`).
/// - Inputs are checked before any model runs (files, shapes, counts, NaN or infinite values),
///   and a failure names the file and what is wrong (``DubbingRequestError``, `DubbingError`).
/// - The run honours task cancellation between denoising steps; a cancelled or failed run
///   removes its partial output, and a finished run's output is complete.
/// - A request that holds only values and paths is `Codable` (a job folder stores it); one that
///   holds models, frames, tensors or a sink in memory throws when encoded.
public struct DubbingRequest: Sendable {
    /// The two checkpoints, or models already loaded.
    public enum Models: Sendable {
        /// Stage-1 and stage-2 checkpoints (`stage1_state_dict.ckpt`, `stage2_state_dict.ckpt`, or
        /// their safetensors conversions); `imageSize` overrides the size the stage-1 weights imply.
        case files(stage1: URL, stage2: URL, imageSize: Int? = nil)
        /// Models already in memory (stage 1 and stage 2; face and speech models are loaded
        /// from the request's files when it needs them).
        case loaded(Dubber)
        /// A session loaded once and shared by any number of requests (an app, a server): its
        /// face analyzer and speech encoder are used when it has them.
        case session(DubbingSession)
    }

    /// The clip to dub.
    public enum Frames: Sendable {
        /// Any video ffmpeg decodes, read at 25 fps.
        case video(URL)
        /// A folder of numbered PNG frames (natural order).
        case frameFolder(URL)
        /// One portrait image, re-rendered for every lip latent.
        case image(URL)
        /// Any frame source (frames in memory, a custom decoder).
        case source(any FrameSource)
    }

    /// Where the 68 landmarks of every frame come from.
    public enum Landmarks: Sendable {
        /// A folder of per-frame `x y` files named like the frames, one talking-face-preprocessing
        /// table, or (portrait) one 68-line file.
        case file(URL)
        /// Found by FaceBoxesV2 + PIPNet, with the clip's face crop chosen automatically (unless
        /// `DubbingOptions.faceRegion` is set).
        case detect(FaceDetection = FaceDetection())
        /// Landmarks in memory.
        case track(LandmarkTrack)
    }

    /// The face models and settings of ``Landmarks/detect(_:)``.
    public struct FaceDetection: Sendable, Codable {
        /// FaceBoxesV2 weights; `nil`: searched as `FaceModelFiles` describes.
        public var detector: URL?
        /// PIPNet weights; `nil`: searched as `FaceModelFiles` describes.
        public var landmarkModel: URL?
        /// Face choice, crop expansion, detection interval, smoothing.
        public var tracking: FaceTrackingOptions

        /// Detection with the given files (or the searched ones) and settings.
        public init(detector: URL? = nil, landmarkModel: URL? = nil, tracking: FaceTrackingOptions = FaceTrackingOptions()) {
            self.detector = detector
            self.landmarkModel = landmarkModel
            self.tracking = tracking
        }
    }

    /// The speech features stage 2 reads.
    public enum Speech: Sendable {
        /// Precomputed Hubert features `.npy` (`[25, T, 1024]` or `[1, 25, T, 1024]`, 50 Hz).
        case hubertFeatures(URL)
        /// Computed from ``DubbingRequest/audio`` with the Hubert model in this Hugging Face folder
        /// (`config.json` + `pytorch_model.bin` or `model.safetensors`).
        case hubertModel(URL)
        /// Features in memory (`[layers, T, A]` or `[1, layers, T, A]`).
        case features(Tensor)
    }

    /// Where the starting noise `x_T` (one image shared by all frames) comes from.
    public enum Noise: Sendable {
        /// Standard-normal noise from a seed (`GaussianNoise`).
        case seed(UInt64)
        /// A `.npy` array `[1, 3, S, S]` (or `[3, S, S]`).
        case file(URL)
        /// A tensor `[1, 3, S, S]` (or `[3, S, S]`).
        case tensor(Tensor)
    }

    /// Where the output frames go.
    public enum Output: Sendable {
        /// A video file (H.264, with ``DubbingRequest/audio`` muxed in), written through ffmpeg.
        case video(URL)
        /// A folder of PNG frames `NNNNNN.png` named by output frame number (it appears, or
        /// replaces an earlier output as a whole, when the run finishes).
        case frameFolder(URL)
        /// Any sink; the run calls its `finish()` at the end and `discard()` on failure.
        case sink(any FrameSink)

        /// A video for the extensions of ``FrameOutput/videoExtensions``, a frame folder otherwise.
        package static func path(_ url: URL) -> Output {
            FrameOutput.isVideo(url) ? .video(url) : .frameFolder(url)
        }
    }

    /// The models.
    public var models: Models
    /// The clip to dub.
    public var frames: Frames
    /// The landmarks.
    public var landmarks: Landmarks
    /// The speech features.
    public var speech: Speech
    /// The speech audio: muxed into a video output, and the input of ``Speech/hubertModel(_:)``.
    public var audio: URL?
    /// The starting noise (default seed 0).
    public var noise: Noise
    /// Run options.
    public var options: DubbingOptions
    /// The output.
    public var output: Output
    /// Whether the output may replace an existing file, or a folder an earlier run wrote
    /// (default `false`: refused, as ffmpeg without `-y`). Whatever it says, the output never
    /// replaces the working directory, an input or a folder holding one, or a non-empty folder
    /// this tool did not write (``OutputGuard``).
    public var overwrite: Bool
    /// Threads and memory of the run (default: tuned for this machine); nothing in them changes
    /// the output (that is ``options``).
    public var compute: ComputeSettings
    /// The bounds every file of the request (models, frames, landmarks, audio, arrays) is read
    /// within (default ``ReaderLimits/standard``). Not stored with the request: the program
    /// that runs it chooses them (the command line from its `DIFFDUB_MAX_*` environment).
    public var limits: ReaderLimits

    /// A request; `noise`, `options`, `overwrite`, `compute` and `limits` default to seed 0, the
    /// original's settings, no overwriting, the tuned compute settings and the standard limits.
    public init(
        models: Models, frames: Frames, landmarks: Landmarks, speech: Speech, audio: URL? = nil,
        noise: Noise = .seed(0), options: DubbingOptions = DubbingOptions(), output: Output,
        overwrite: Bool = false, compute: ComputeSettings = ComputeSettings(), limits: ReaderLimits = .standard
    ) {
        self.models = models
        self.frames = frames
        self.landmarks = landmarks
        self.speech = speech
        self.audio = audio
        self.noise = noise
        self.options = options
        self.output = output
        self.overwrite = overwrite
        self.compute = compute
        self.limits = limits
    }
}
