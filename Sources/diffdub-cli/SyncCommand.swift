import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `diffdub sync [--model SYNCNET] --cropped CLIP | --video CLIP [--audio A] [--json]`: SyncNet's
/// lip-sync scores (A-V offset, LSE-D, LSE-C) of a 224x224 face-crop clip, as syncnet_python's
/// evaluate computes them, or of every face track of a whole video.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Score how well lips follow the speech (SyncNet: offset, LSE-D, LSE-C) of a face-crop clip or each face of a video.",
        discussion: """
            Runs SyncNet (syncnet_python's syncnet_v2.model, or safetensors with its keys) over a \
            clip that is already a 224x224 face crop at 25 fps, exactly what syncnet_python's \
            SyncNetInstance.evaluate takes: windows of 5 frames against 0.2 s of MFCCs, shifted \
            -15..15 frames. Prints the audio-visual offset (frames), the mean distance at the best \
            shift (LSE-D, lower is better) and the median distance minus that minimum (LSE-C, \
            higher is better). With --video CLIP instead, every face of the video (read at 25 \
            fps) is followed shot by shot as `dub` follows a face, each track is cropped as \
            syncnet_python's run_pipeline.py crops it and scored on its own; a line per track \
            (tracks shorter than 6 frames, the fewest SyncNet scores, are left out). The audio is the clip's own track unless --audio is given (any \
            format ffmpeg reads; resampled to 16 kHz mono). Frames are read losslessly (no JPEG \
            step). Without --model, the syncnet_v2.model that `diffdub models download syncnet` fetched is used. See Docs/SYNC.md.

            Examples:
              diffdub sync --cropped face.mp4
              diffdub sync --model syncnet_v2.model --cropped face.mp4 --audio dub.wav --json
              diffdub sync --video interview.mp4 --json
            """)

    @Option(
        help: "SyncNet model file (syncnet_v2.model, or safetensors with its keys; default: the downloaded one).",
        completion: .file())
    var model: String?

    @Option(help: "Clip that is a 224x224 face crop at 25 fps.", completion: .file())
    var cropped: String?

    @Option(help: "Video whose every face track is found, cropped and scored.", completion: .file())
    var video: String?

    @Option(
        help: "FaceBoxesV2 weights for --video (default: faceboxesv2.pth from the model folders, see Docs/FACES.md).",
        completion: .file())
    var detector: String?

    @Option(help: "Speech to score the lips against (default: the clip's own audio).", completion: .file())
    var audio: String?

    @Flag(help: "Print one JSON object: windows, offset, min_dist, confidence, framewise_conf (--video: tracks).")
    var json = false

    func validate() throws {
        guard (cropped == nil) != (video == nil) else { throw ValidationError("give one of --cropped CLIP and --video CLIP") }
        if cropped != nil && detector != nil { throw ValidationError("--detector is for --video only") }
        if model == nil && ModelFolders.locate(.syncnet) == nil {
            throw ValidationError(
                "--model not given and \(ReleasedModel.syncnet.entryPath) is not in the model folder (\(ModelStore.defaultFolder().path)): run `diffdub models download syncnet` or pass --model FILE"
            )
        }
    }

    func run() throws {
        let clip = cropped ?? video ?? ""
        let clipURL = URL(fileURLWithPath: clip)
        let audioURL = URL(fileURLWithPath: audio ?? clip)
        guard let modelURL = model.map({ URL(fileURLWithPath: $0) }) ?? ModelFolders.locate(.syncnet) else {
            throw CommandError("--model not given and no syncnet_v2.model was found")
        }
        for (option, path) in [
            ("--model", modelURL.path), ("--cropped", cropped), ("--video", video), ("--detector", detector), ("--audio", audio),
        ] {
            guard let path else { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { throw CommandError("\(option) \(path): no such file") }
        }
        if video != nil {
            let tracks = try ComputeSettings().run {
                try Self.trackScores(clipURL, audio: audioURL, model: modelURL, detector: detector)
            }
            print(json ? Self.json(tracks) : tracks.map { Self.line($0, clip: clip) }.joined(separator: "\n"))
            return
        }
        let scores = try ComputeSettings().run {
            let syncNet = try SyncNet(checkpoint: modelURL, limits: .ofThisCommand)
            let reader = try Self.faceCropReader(clipURL)
            defer { reader.close() }
            let samples = try Self.speech(audioURL)
            // Frame by frame: a few frames held, never the clip (flat memory in its length).
            var scorer = SyncScorer(syncNet, sampleCount: samples.count)
            while let frame = try reader.nextFrame() { scorer.append(frame) }
            do {
                return try scorer.scores(samples: samples)
            } catch let error as SyncNetError {
                if case .audioTooShort = error { throw CommandError("\(audioURL.path): \(error)") }
                throw CommandError("\(clipURL.path): \(error)")
            }
        }
        print(json ? Self.json(scores) : Self.line(scores, clip: clip))
    }

    /// A reader of the clip's frames, as decoded when the clip is at 25 fps (resampled to 25 fps
    /// otherwise).
    ///
    /// - Throws: ``CommandError`` when the frames are not 224x224.
    static func faceCropReader(_ url: URL) throws -> VideoReader {
        let info = try VideoProbe.info(url, limits: .ofThisCommand)
        let side = SyncNetLipStack.side
        guard info.width == side && info.height == side else {
            throw CommandError("\(url.path): \(SyncNetError.frameSize(index: 0, width: info.width, height: info.height))")
        }
        let atRate = abs(info.frameRate - 25) < 0.01 && !info.isVariableFrameRate
        return try VideoReader(url, frameRate: atRate ? nil : 25, limits: .ofThisCommand)
    }

    /// The first audio stream of `url` at 16 kHz mono, on the int16 scale.
    static func speech(_ url: URL) throws -> [Float] {
        try SpeakerSearch.speech(url)
    }

    /// `{"windows": N, "offset": K, "min_dist": D, "confidence": C, "framewise_conf": [...]}`.
    static func json(_ scores: SyncScores) -> String {
        let framewise = scores.framewiseConfidence.map { "\(Double($0))" }.joined(separator: ", ")
        return "{\"windows\": \(scores.windows), \"offset\": \(scores.offset), "
            + "\"min_dist\": \(Double(scores.minDistance)), \"confidence\": \(Double(scores.confidence)), "
            + "\"framewise_conf\": [\(framewise)]}"
    }

    /// `CLIP: N windows, offset K frames, LSE-D D, LSE-C C`.
    static func line(_ scores: SyncScores, clip: String) -> String {
        "\(clip): \(scores.windows) windows, offset \(scores.offset) frames, "
            + "LSE-D \(String(format: "%.3f", scores.minDistance)), LSE-C \(String(format: "%.3f", scores.confidence))"
    }
}
