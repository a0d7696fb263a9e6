import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `--score` and `--syncnet-model`, shared by `dub` and `job finish`: SyncNet's lip-sync
/// scores of the written output (every face track, as `diffdub sync --video` scores it).
struct SyncScoringArguments: ParsableArguments {
    @Flag(
        help: """
            After writing an .mp4 output, print its lip-sync scores (SyncNet offset, LSE-D, LSE-C per face track; \
            Docs/SYNC.md). Whenever a SyncNet model is found (with or without --score), a note before rendering says \
            when the input video is already out of sync with its own audio.
            """)
    var score = false

    @Option(
        help: "SyncNet model for --score, --speaker auto and the note on the input's own sync (default: the syncnet_v2.model `diffdub models download syncnet` fetched).",
        completion: .file())
    var syncnetModel: String?

    /// The SyncNet model to score with, `nil` without `--score`; checked before any work.
    ///
    /// - Throws: ``CommandError`` when `--score` is given without a model, or `output` is not an
    ///   .mp4 file.
    func model(output: String) throws -> URL? {
        guard score else { return nil }
        guard output.lowercased().hasSuffix(".mp4") else {
            throw CommandError("--score needs an .mp4 output (with speech) to score, not \(output)")
        }
        if let syncnetModel {
            try requireFile(syncnetModel, option: "--syncnet-model")
            return URL(fileURLWithPath: syncnetModel)
        }
        guard let found = ModelFolders.locate(.syncnet) else {
            throw CommandError(
                "--score: \(ReleasedModel.syncnet.entryPath) is not in the model folder (\(ModelStore.defaultFolder().path)): run `diffdub models download syncnet` or pass --syncnet-model FILE"
            )
        }
        return found
    }

    /// The SyncNet model for the note on the input's own sync: `--syncnet-model`, or the
    /// downloaded one; `nil` when there is none (then `dub` says nothing about it).
    ///
    /// - Throws: ``CommandError`` when `--syncnet-model` names no file.
    func noteModel() throws -> URL? {
        guard let syncnetModel else { return ModelFolders.locate(.syncnet) }
        try requireFile(syncnetModel, option: "--syncnet-model")
        return URL(fileURLWithPath: syncnetModel)
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
