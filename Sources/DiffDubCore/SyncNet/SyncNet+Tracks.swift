/// SyncNet's scores of one face track (``SyncNet/evaluate(tracks:in:samples:vshift:)``).
package struct TrackSyncScores: Sendable {
    /// The track scored.
    package var track: FaceBoxTrack
    /// Its scores against the speech of its frames.
    package var scores: SyncScores

    /// Scores of a track.
    package init(track: FaceBoxTrack, scores: SyncScores) {
        self.track = track
        self.scores = scores
    }
}

extension SyncNet {
    /// The 224 x 224 crops (``SyncFaceCrop``) of each track, in one pass over `source`.
    ///
    /// - Throws: the source's reading errors.
    package static func faceCrops(of tracks: [FaceBoxTrack], in source: any FrameSource) throws -> [[RGBImage]] {
        let windows = tracks.map { SyncFaceCrop.crops(of: $0.boxes) }
        var crops = [[RGBImage]](repeating: [], count: tracks.count)
        guard let end = tracks.map(\.frames.upperBound).max() else { return crops }
        let reader = try source.makeReader()
        var index = 0
        while index < end, let frame = try reader.next() {
            for (k, track) in tracks.enumerated() where track.frames.contains(index) {
                crops[k].append(windows[k][index - track.firstFrame].image(of: frame))
            }
            index += 1
        }
        return crops
    }

    /// The speech of `frames` (25 fps) in 16 kHz `samples`: `samples[640 first ..< 640 end]`,
    /// cut at the end of the samples, as `run_pipeline.py` cuts a track's audio.
    package static func samples(_ samples: [Float], of frames: Range<Int>) -> [Float] {
        let start = min(frames.lowerBound * samplesPerFrame, samples.count)
        let end = min(frames.upperBound * samplesPerFrame, samples.count)
        return Array(samples[start..<end])
    }

    /// Scores every track of at least ``SyncFaceCrop/minimumTrackLength`` frames on its own:
    /// its crops (``SyncFaceCrop``) against the speech of its frames.
    ///
    /// - Parameters:
    ///   - tracks: face tracks of `source` (``FaceDetections/faceTracks(options:)``).
    ///   - source: the clip at 25 fps.
    ///   - samples: its speech, mono 16 kHz on the int16 scale (``pcm16Scaled(_:)``).
    /// - Throws: ``SyncNetError/audioTooShort(seconds:needed:)`` when a track's speech is
    ///   shorter than 6 frames, and the source's reading errors.
    package func evaluate(
        tracks: [FaceBoxTrack], in source: any FrameSource, samples: [Float], vshift: Int = 15
    ) throws -> [TrackSyncScores] {
        let scored = tracks.filter { $0.boxes.count >= SyncFaceCrop.minimumTrackLength }
        let crops = try Self.faceCrops(of: scored, in: source)
        var result: [TrackSyncScores] = []
        for (track, frames) in zip(scored, crops) {
            let scores = try evaluate(frames: frames, samples: Self.samples(samples, of: track.frames), vshift: vshift)
            result.append(TrackSyncScores(track: track, scores: scores))
        }
        return result
    }
}
