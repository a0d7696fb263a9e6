import DiffDubCore
import Foundation

/// `--speaker auto`: which face speaks in each shot of a video, found by scoring every face
/// track against the video's own audio with SyncNet and choosing, shot by shot, the track with
/// the highest confidence (LSE-C). `diffdub dub`, `diffdub job prepare` and `diffdub serve`
/// share it, so they choose the same faces and say so in the same words.
package enum SpeakerSearch {
    /// The faces chosen in a video.
    package struct Choice: Sendable {
        /// The face to dub in each shot, numbered as the dub numbers them
        /// (``FaceTrackingOptions/speakers``).
        package var spans: [SpeakerSpan]
        /// A line per shot: `speaker: shot S (frames A..<B): face F of N (LSE-C C)`.
        package var report: [String]
        /// The scores of every track of the video against its own audio.
        package var tracks: [TrackSyncScores]
    }

    /// Chooses the speaking face of each shot of `video` (which must have audio), the faces
    /// followed with the dub's default tracking options (``FaceTrackingOptions/init()``, the
    /// numbering `--face`, `--speaker` and `--speakers` use).
    ///
    /// - Parameters:
    ///   - video: the clip with its own audio.
    ///   - syncNetModel: SyncNet weights (`syncnet_v2.model`).
    ///   - detector: FaceBoxesV2 weights.
    ///   - limits: the bounds of the files read.
    ///   - compute: the kernel settings of the scoring.
    /// - Throws: ``SpeakerSearchError`` when the video has no audio, no face track long enough
    ///   to score or too short a speech; the models' and the video's reading errors.
    package static func choose(
        video: URL, syncNetModel: URL, detector: URL, limits: ReaderLimits = .standard,
        compute: ComputeSettings = ComputeSettings()
    ) throws -> Choice {
        guard (try? VideoProbe.info(video, limits: limits))?.hasAudio == true else {
            throw SpeakerSearchError.noAudio(path: video.path)
        }
        let tracks = try compute.run {
            try scores(
                of: video, audio: video, syncNetModel: syncNetModel, detector: detector, options: FaceTrackingOptions(),
                limits: limits)
        }
        return choice(from: tracks)
    }

    /// The face with the highest confidence in each shot of `tracks`, its span covering the
    /// frames of every track of the shot.
    package static func choice(from tracks: [TrackSyncScores]) -> Choice {
        var spans: [SpeakerSpan] = []
        var report: [String] = []
        for shot in Set(tracks.map(\.track.shot)).sorted() {
            let inShot = tracks.filter { $0.track.shot == shot }
            guard let best = inShot.max(by: { $0.scores.confidence < $1.scores.confidence }),
                let first = inShot.map(\.track.frames.lowerBound).min(), let end = inShot.map(\.track.frames.upperBound).max()
            else { continue }
            spans.append(SpeakerSpan(frames: first..<end, face: best.track.face))
            report.append(
                "speaker: shot \(shot) (frames \(first)..<\(end)): face \(best.track.face) of \(inShot.count) "
                    + "(LSE-C \(String(format: "%.3f", best.scores.confidence)))")
        }
        return Choice(spans: spans, report: report, tracks: tracks)
    }

    /// Every face track of `video` (read at 25 fps, as the dub reads it), followed with
    /// `options`, scored against the speech of `audio` (any file ffmpeg decodes).
    ///
    /// - Throws: ``SpeakerSearchError`` when no face track is long enough to score or the
    ///   speech is too short; the models' and the files' reading errors.
    package static func scores(
        of video: URL, audio: URL, syncNetModel: URL, detector: URL, options: FaceTrackingOptions,
        limits: ReaderLimits = .standard
    ) throws -> [TrackSyncScores] {
        let syncNet = try SyncNet(checkpoint: syncNetModel, limits: limits)
        let faceDetector = try FaceBoxesDetector(checkpoint: detector, limits: limits)
        let source = try VideoFileSource(video, limits: limits)
        let detections = try FaceDetections.detect(in: source, detector: faceDetector, options: options)
        let tracks = detections.faceTracks(options: options).filter { $0.boxes.count >= SyncFaceCrop.minimumTrackLength }
        guard !tracks.isEmpty else {
            throw SpeakerSearchError.noFaceTrack(
                path: video.path, minimumLength: SyncFaceCrop.minimumTrackLength, framesRead: detections.frameCount)
        }
        let samples = try speech(audio)
        do {
            return try syncNet.evaluate(tracks: tracks, in: source, samples: samples)
        } catch let error as SyncNetError {
            throw SpeakerSearchError.speech(path: audio.path, reason: "\(error)")
        }
    }

    /// The speech of `url` as SyncNet hears it: mono 16 kHz on the int16 scale.
    package static func speech(_ url: URL) throws -> [Float] {
        let clip = try AudioExtractor.decode(url, sampleRate: SyncNet.sampleRate, channels: 1)
        return SyncNet.pcm16Scaled(clip.samples)
    }
}
