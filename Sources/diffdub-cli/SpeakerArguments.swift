import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `--speaker K|auto` and `--speakers FILE`: which face of a clip with several faces is dubbed
/// when (``SpeakerSpan``), numbered per shot left to right as `diffdub sync --video` numbers them.
enum SpeakerArguments {
    /// `start end face` lines (seconds; `#` comments and blank lines skipped) as spans of
    /// frames at 25 fps.
    ///
    /// - Throws: ``ValidationError`` naming the file and line.
    static func spans(file path: String) throws -> [SpeakerSpan] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("--speakers \(path): cannot read the file")
        }
        var spans: [SpeakerSpan] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.split(whereSeparator: \.isWhitespace)
            if fields.isEmpty { continue }
            guard fields.count == 3, let start = Double(fields[0]), let end = Double(fields[1]), let face = Int(fields[2]),
                start >= 0, end > start, face >= 0
            else {
                throw ValidationError(
                    "--speakers \(path): line \(number + 1) is not `start end face` (seconds, end after start, face 0 or more): \(line)")
            }
            spans.append(SpeakerSpan(frames: Int((start * 25).rounded())..<Int((end * 25).rounded()), face: face))
        }
        guard !spans.isEmpty else { throw ValidationError("--speakers \(path): no `start end face` line") }
        return spans
    }

    /// Spans that dub, shot by shot, the face whose lips follow `video`'s own audio best
    /// (highest SyncNet confidence), a line per shot saying which face was chosen, and the
    /// scores of every track (``SpeakerSearch/choose(video:syncNetModel:detector:limits:compute:)``).
    ///
    /// - Throws: ``CommandError`` when the video has no audio or no face track to score.
    static func automatic(
        video: URL, model: URL, detector: String?
    ) throws -> (spans: [SpeakerSpan], report: [String], tracks: [TrackSyncScores]) {
        guard (try? VideoProbe.info(video, limits: .ofThisCommand))?.hasAudio == true else {
            throw CommandError(SpeakerSearchError.noAudio(path: video.path).localizedDescription)
        }
        let detectorURL = try FaceModelFiles.detector(
            ModelFolders.file(detector, named: FaceModelFiles.detectorFileName), folders: ModelFolders.all)
        do {
            let choice = try SpeakerSearch.choose(video: video, syncNetModel: model, detector: detectorURL, limits: .ofThisCommand)
            return (choice.spans, choice.report, choice.tracks)
        } catch let error as SpeakerSearchError {
            throw CommandError(error.localizedDescription)
        }
    }

    /// `--speaker auto`: the face that speaks in each shot of the input video, put into the
    /// request's tracking options (so plans and job manifests keep the choice), reported on
    /// standard error. Returns the scores of the input's tracks against its own audio.
    @discardableResult
    static func chooseAutomatically(
        _ request: inout DubbingRequest, dubbing: DubbingArguments, syncNet: SyncNetModelArguments
    ) throws -> [TrackSyncScores] {
        guard let video = dubbing.video, case .detect(var detection) = request.landmarks else {
            throw CommandError("--speaker auto needs --video (and no --landmarks)")
        }
        guard let model = try syncNet.located() else {
            throw CommandError(
                "--speaker auto: \(ReleasedModel.syncnet.entryPath) is not in the model folder (\(ModelStore.defaultFolder().path)): run `diffdub models download syncnet` or pass --syncnet-model FILE"
            )
        }
        let (spans, report, tracks) = try automatic(video: URL(fileURLWithPath: video), model: model, detector: dubbing.faces.detector)
        for line in report { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        detection.tracking.speakers = spans
        request.landmarks = .detect(detection)
        return tracks
    }
}
