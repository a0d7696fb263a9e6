import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

extension SyncCommand {
    /// How `sync --video` (and `--score` after a dub) follows faces: as `dub` does, except that
    /// a face the detector misses is bridged over up to 25 frames, `run_pipeline.py`'s
    /// `num_failed_det` (`dub` bridges 3, so that a face that leaves the picture is not pasted
    /// where it was; scoring only needs the crops to follow the face).
    static var trackingOptions: FaceTrackingOptions {
        var options = FaceTrackingOptions()
        options.maximumGap = 25
        return options
    }

    /// Every face track of `video` (read at 25 fps, as `dub` reads it), followed with
    /// `options`, scored against `audio`.
    ///
    /// - Throws: ``CommandError`` when the video has no face track long enough to score, or its
    ///   speech is too short.
    static func trackScores(
        _ video: URL, audio: URL, model: URL, detector: String?, options: FaceTrackingOptions = SyncCommand.trackingOptions
    ) throws -> [TrackSyncScores] {
        let detectorURL = try FaceModelFiles.detector(
            ModelFolders.file(detector, named: FaceModelFiles.detectorFileName), folders: ModelFolders.all)
        do {
            return try SpeakerSearch.scores(
                of: video, audio: audio, syncNetModel: model, detector: detectorURL, options: options, limits: .ofThisCommand)
        } catch let error as SpeakerSearchError {
            throw CommandError(error.localizedDescription)
        }
    }

    /// `{"tracks": [{"face": i, "first_frame": f, "frames": n, "offset": K, "min_dist": D, "confidence": C}, ...]}`.
    static func json(_ tracks: [TrackSyncScores]) -> String {
        let items = tracks.map { item in
            "{\"face\": \(item.track.face), \"shot\": \(item.track.shot), \"first_frame\": \(item.track.firstFrame), "
                + "\"frames\": \(item.track.boxes.count), \"offset\": \(item.scores.offset), "
                + "\"min_dist\": \(Double(item.scores.minDistance)), \"confidence\": \(Double(item.scores.confidence))}"
        }
        return "{\"tracks\": [\(items.joined(separator: ", "))]}"
    }

    /// `CLIP: shot S face I: frames F..<G (N), offset K frames, LSE-D D, LSE-C C`.
    static func line(_ item: TrackSyncScores, clip: String) -> String {
        let frames = item.track.frames
        return "\(clip): shot \(item.track.shot) face \(item.track.face): first frame \(frames.lowerBound), "
            + "\(frames.count) frames, offset \(item.scores.offset) frames, "
            + "LSE-D \(String(format: "%.3f", item.scores.minDistance)), LSE-C \(String(format: "%.3f", item.scores.confidence))"
    }
}
