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
            Docs/SYNC.md); before rendering, note when the input video is already out of sync with its own audio.
            """)
    var score = false

    @Option(help: "SyncNet model for --score (default: the syncnet_v2.model `diffdub models download syncnet` fetched).", completion: .file())
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

    /// Scores every face track of `video` against its own audio.
    static func scores(of video: URL, model: URL, detector: String?) throws -> [TrackSyncScores] {
        try ComputeSettings().run { try SyncCommand.trackScores(video, audio: video, model: model, detector: detector) }
    }

    /// The one-line note printed before rendering when the dubbed face of `video` is out of sync
    /// with the video's own audio by 2 frames or more (the first such shot), `nil` otherwise
    /// (also when the video has no audio or no face track long enough to score).
    static func inputOffsetNote(video: URL, model: URL, detector: String?, choice: FaceChoice) -> String? {
        guard let info = try? VideoProbe.info(video, limits: .ofThisCommand), info.hasAudio,
            let tracks = try? scores(of: video, model: model, detector: detector)
        else { return nil }
        for shot in Set(tracks.map(\.track.shot)).sorted() {
            let inShot = tracks.filter { $0.track.shot == shot }
            let chosen: TrackSyncScores? =
                switch choice {
                case .largest: inShot.max { $0.track.boxes[0].width < $1.track.boxes[0].width }
                case .index(let k): inShot.first { $0.track.face == k }
                }
            if let chosen, abs(chosen.scores.offset) >= 2 {
                return "\(video.path): face \(chosen.track.face) is \(abs(chosen.scores.offset)) frames out of sync with the video's own audio "
                    + "(SyncNet offset \(chosen.scores.offset) from frame \(chosen.track.firstFrame)): the input was already out of sync"
            }
        }
        return nil
    }

    /// Scores the written `output` and prints a line per face track on standard output.
    static func report(output: String, model: URL, detector: String?) throws -> [TrackSyncScores] {
        let tracks = try scores(of: URL(fileURLWithPath: output), model: model, detector: detector)
        for item in tracks { print(SyncCommand.line(item, clip: output)) }
        return tracks
    }
}
