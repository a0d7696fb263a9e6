import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `--score` and `--syncnet-model` (``SyncNetModelArguments``), shared by `dub` and `job finish`:
/// SyncNet's lip-sync scores of the written output (every face track, as `diffdub sync --video`
/// scores it); and the note on the input's own sync that `dub` and `job prepare` print.
struct SyncScoringArguments: ParsableArguments {
    @Flag(
        help: """
            After writing an .mp4 output, print its lip-sync scores (SyncNet offset, LSE-D, LSE-C per face track; \
            Docs/SYNC.md). Whenever a SyncNet model is found (with or without --score), a note before rendering says \
            when the input video is already out of sync with its own audio.
            """)
    var score = false

    @OptionGroup var syncNet: SyncNetModelArguments

    /// The SyncNet model to score with, `nil` without `--score`; checked before any work.
    ///
    /// - Throws: ``CommandError`` when `--score` is given without a model, or `output` is not an
    ///   .mp4 file.
    func model(output: String) throws -> URL? {
        guard score else { return nil }
        guard output.lowercased().hasSuffix(".mp4") else {
            throw CommandError("--score needs an .mp4 output (with speech) to score, not \(output)")
        }
        guard let found = try syncNet.located() else {
            throw CommandError(
                "--score: \(ReleasedModel.syncnet.entryPath) is not in the model folder (\(ModelStore.defaultFolder().path)): run `diffdub models download syncnet` or pass --syncnet-model FILE"
            )
        }
        return found
    }

    /// Scores every face track of `video` against its own audio, the faces followed with
    /// `options` (``SyncCommand/trackingOptions`` as `sync --video`, or the dub's own, whose face
    /// numbers `--face`, `--speaker` and `--speakers` use).
    static func scores(
        of video: URL, model: URL, detector: String?, options: FaceTrackingOptions = SyncCommand.trackingOptions
    ) throws -> [TrackSyncScores] {
        try ComputeSettings().run {
            try SyncCommand.trackScores(video, audio: video, model: model, detector: detector, options: options)
        }
    }

    /// The one-line note printed before rendering when a face the dub changes
    /// (``TrackSyncScores/firstOutOfSync(_:dubbing:)``) is out of sync with `video`'s own audio
    /// by 2 frames or more (the first such shot), `nil` otherwise: also when the video has no
    /// audio, no face track long enough to score, or anything fails (the note is advice; the
    /// dub goes on either way). `scored`: the input's tracks when already scored (`--speaker auto`).
    static func inputOffsetNote(
        video: URL, model: URL, detector: String?, options: FaceTrackingOptions, scored: [TrackSyncScores]? = nil
    ) -> String? {
        guard let info = try? VideoProbe.info(video, limits: .ofThisCommand), info.hasAudio,
            let tracks = scored ?? (try? scores(of: video, model: model, detector: detector, options: FaceTrackingOptions()))
        else { return nil }
        return offsetNote(tracks, video: video.path, options: options)
    }

    /// Prints the note on the input's own sync (``inputOffsetNote(video:model:detector:options:scored:)``)
    /// on standard error, `note: ...`, when `request` dubs a video and `model` is a SyncNet
    /// model (given or downloaded). `dub` and `job prepare` print it before their work; like
    /// the warnings, it is printed also with `--quiet`.
    static func noteInputOffset(
        of request: DubbingRequest, dubbing: DubbingArguments, model: URL?, scored: [TrackSyncScores]? = nil
    ) {
        guard let video = dubbing.video, let model else { return }
        let options = if case .detect(let detection) = request.landmarks { detection.tracking } else { dubbing.faces.tracking }
        if let note = inputOffsetNote(
            video: URL(fileURLWithPath: video), model: model, detector: dubbing.faces.detector, options: options, scored: scored)
        {
            FileHandle.standardError.write(Data("note: \(note)\n".utf8))
        }
    }

    /// The note for the first track of `tracks` the dub changes that is out of sync, if any.
    static func offsetNote(_ tracks: [TrackSyncScores], video: String, options: FaceTrackingOptions) -> String? {
        guard let item = TrackSyncScores.firstOutOfSync(tracks, dubbing: options) else { return nil }
        let offset = item.scores.offset
        return "\(video): face \(item.track.face) is \(abs(offset)) frames out of sync with the video's own audio "
            + "(SyncNet offset \(offset) in shot \(item.track.shot) from frame \(item.track.firstFrame)): the input was already out of sync"
    }

    /// Scores the written `output` and prints a line per face track on standard output.
    static func report(output: String, model: URL, detector: String?) throws -> [TrackSyncScores] {
        let tracks = try scores(of: URL(fileURLWithPath: output), model: model, detector: detector)
        for item in tracks { print(SyncCommand.line(item, clip: output)) }
        return tracks
    }
}
