import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// The inputs and options of a dub, shared by `diffdub dub` and `diffdub job prepare`: the
/// models, the clip, landmarks (or face detection), speech, noise and the run's options.
struct DubbingArguments: ParsableArguments {
    @OptionGroup var models: RendererModelArguments

    @Option(help: "Input video (any format ffmpeg reads; resampled to 25 fps).", completion: .file())
    var video: String?

    @Option(help: "Input folder of numbered PNG frames.", completion: .directory)
    var frames: String?

    @Option(help: "Input portrait image (PNG).", completion: .file())
    var image: String?

    @Option(help: "Landmarks: folder of per-frame .txt files, or one landmarks table.", completion: .file())
    var landmarks: String?

    @Option(help: "Hubert features .npy [25, T, 1024] or [1, 25, T, 1024].", completion: .file())
    var hubert: String?

    @Option(
        help: "A Hugging Face Hubert model folder (chinese-hubert-large) to compute the features from --audio.",
        completion: .directory)
    var hubertModel: String?

    @Option(help: "The speech audio muxed into an .mp4 output.", completion: .file())
    var audio: String?

    @Flag(help: "Lip reference from one frame (one-shot, the default) or the first 75 frames (few-shot).")
    var referenceMode: ReferenceModeFlag = .oneShot

    @Option(help: "The reference frame (one-shot latent and x_ref of every render).")
    var referenceFrame: Int = 0

    @Option(help: "Seed of the starting noise shared by all frames.")
    var seed: UInt64 = 0

    @Option(help: "Starting noise .npy [1, 3, S, S] instead of --seed.", completion: .file())
    var noise: String?

    @Option(help: "Denoising steps (a count the original's \"ddimN\" accepts).")
    var steps: Int = 20

    @Option(help: "Sampler: ddim (the original's) or dpmpp2m (DPM-Solver++(2M); 10 steps in place of 20).")
    var sampler: SamplerKind = .ddim

    @Option(help: "Frames rendered per model call.")
    var batch: Int = 1

    @Option(help: "Render only the output frames START:END (either side may be empty).")
    var frameRange: String?

    @Option(help: "Output length: speech (as long as the speech; a shorter video plays forward then backward) or shortest (the original's min(speech, video)).")
    var fit: TimelineFit = .speech

    @Option(help: "Output frame rate: 25 (the original's; a video is resampled) or source (the video's own rate, every frame dubbed).")
    var fps: FrameRateArgument = .model

    @Option(help: "Arithmetic of the UNet's large products: fp32, or bf16 (fast on AVX512_BF16 CPUs; emulated, slower, elsewhere). Stored in a job's plan.")
    var precision: Precision = .fp32

    @Option(help: "Kernel threads (default: every processor).")
    var threads: Int?

    @Option(help: "The square face region X,Y,SIZE of larger frames.")
    var crop: String?

    @Flag(help: "Refuse a video whose decoding reports errors (damaged frames) instead of warning.")
    var strict = false

    // MARK: Face detection (when --landmarks is absent)

    @OptionGroup(title: "Face detection (without --landmarks)")
    var faces: FaceDetectionOptions

    func validate() throws {
        let inputs = [video, frames, image].compactMap { $0 }
        guard inputs.count == 1 else { throw ValidationError("give exactly one of --video, --frames, --image") }
        switch (hubert, hubertModel) {
        case (nil, nil): throw ValidationError("give the speech features with --hubert H.npy, or --hubert-model DIR with --audio")
        case (.some, .some): throw ValidationError("--hubert and --hubert-model exclude each other")
        case (nil, .some) where audio == nil: throw ValidationError("--hubert-model computes the features from --audio: pass it")
        default: break
        }
        if let threads { try OptionRange.check("--threads", threads, OptionRange.threads) }
        if let frameRange, FrameRange(parsing: frameRange) == nil {
            throw ValidationError("--frame-range \(frameRange): expected START:END with 0 <= START < END (integers)")
        }
        if let crop, FaceRegion(parsing: crop) == nil {
            let limit = FaceRegion.maximumCoordinate
            throw ValidationError("--crop \(crop): expected X,Y,SIZE with X and Y from 0 to \(limit), SIZE from 1 to \(limit)")
        }
        if DubbingOptions.stepsRange.contains(steps) {
            do {
                _ = try sampler.sampler.schedule(NoiseSchedule.diffDub, steps: steps)
            } catch {
                throw ValidationError("--steps: \(error)")
            }
        }
        // Every numeric option against the library's ranges, before any work.
        do {
            try options(raw: false).validate()
        } catch let error as DubbingError {
            throw ValidationError(ErrorWording.message(for: error, default: error.description))
        }
        if image != nil, referenceMode == .fewShot {
            throw ValidationError("--few-shot needs a video or frames; a portrait is one-shot")
        }
    }

    /// The request these flags describe, writing `output` (model-resolution frames when `raw`).
    func request(output: String, raw: Bool) -> DubbingRequest {
        func url(_ path: String) -> URL { URL(fileURLWithPath: path) }
        let frames: DubbingRequest.Frames =
            if let video { .video(url(video)) } else if let frames { .frameFolder(url(frames)) } else { .image(url(image ?? "")) }
        let options = options(raw: raw)
        let speech: DubbingRequest.Speech =
            if let hubertModel { .hubertModel(url(hubertModel)) } else { .hubertFeatures(url(hubert ?? "")) }
        let landmarks: DubbingRequest.Landmarks =
            if let landmarks { .file(url(landmarks)) }
            else {
                .detect(
                    DubbingRequest.FaceDetection(
                        detector: faces.detectorURL, landmarkModel: faces.landmarkModelURL, tracking: faces.tracking))
            }
        return DubbingRequest(
            models: models.models,
            frames: frames,
            landmarks: landmarks, speech: speech, audio: audio.map(url), noise: noise.map { .file(url($0)) } ?? .seed(seed),
            options: options, output: .path(url(output)), compute: ComputeSettings(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount),
            limits: .ofThisCommand)
    }

    /// The run's options these flags give.
    func options(raw: Bool) -> DubbingOptions {
        DubbingOptions(
            referenceMode: referenceMode == .oneShot ? .oneShot : .fewShot, referenceFrame: referenceFrame,
            steps: steps, sampler: sampler, batchSize: batch,
            frameRange: frameRange.flatMap(FrameRange.init(parsing:)) ?? FrameRange(), raw: raw,
            faceRegion: crop.flatMap(FaceRegion.init(parsing:)), fit: fit, frameRate: fps.choice,
            precision: precision, strict: strict)
    }

    /// Lip reference from one frame or the first 75.
    enum ReferenceModeFlag: String, EnumerableFlag {
        case oneShot, fewShot
    }
}
