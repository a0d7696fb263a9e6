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
    /// scores of every track (the faces followed and numbered as the dub follows them).
    ///
    /// - Throws: ``CommandError`` when the video has no audio or no face track to score.
    static func automatic(
        video: URL, model: URL, detector: String?
    ) throws -> (spans: [SpeakerSpan], report: [String], tracks: [TrackSyncScores]) {
        guard (try? VideoProbe.info(video, limits: .ofThisCommand))?.hasAudio == true else {
            throw CommandError("--speaker auto: \(video.path) has no audio of its own to find the speaker by")
        }
        let tracks = try SyncScoringArguments.scores(of: video, model: model, detector: detector, options: FaceTrackingOptions())
        var spans: [SpeakerSpan] = []
        var report: [String] = []
        for shot in Set(tracks.map(\.track.shot)).sorted() {
            let inShot = tracks.filter { $0.track.shot == shot }
            guard let best = inShot.max(by: { $0.scores.confidence < $1.scores.confidence }) else { continue }
            let frames = inShot.map(\.track.frames.lowerBound).min()!..<inShot.map(\.track.frames.upperBound).max()!
            spans.append(SpeakerSpan(frames: frames, face: best.track.face))
            report.append(
                "speaker: shot \(shot) (frames \(frames.lowerBound)..<\(frames.upperBound)): face \(best.track.face) of \(inShot.count) "
                    + "(LSE-C \(String(format: "%.3f", best.scores.confidence)))")
        }
        return (spans, report, tracks)
    }

    /// `--speaker auto`: the face that speaks in each shot of the input video, put into the
    /// request's tracking options (so plans and job manifests keep the choice), reported on
    /// standard error. Returns the scores of the input's tracks against its own audio.
    @discardableResult
    static func chooseAutomatically(
        _ request: inout DubbingRequest, dubbing: DubbingArguments, syncnetModel: String?
    ) throws -> [TrackSyncScores] {
        guard let video = dubbing.video, case .detect(var detection) = request.landmarks else {
            throw CommandError("--speaker auto needs --video (and no --landmarks)")
        }
        let model = try syncnetModel.map { path in
            try requireFile(path, option: "--syncnet-model")
            return URL(fileURLWithPath: path)
        } ?? ModelFolders.locate(.syncnet)
        guard let model else {
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
