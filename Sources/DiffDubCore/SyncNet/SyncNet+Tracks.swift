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
    /// The speech of `frames` (25 fps) in 16 kHz `samples`: `samples[640 first ..< 640 end]`,
    /// cut at the end of the samples, as `run_pipeline.py` cuts a track's audio.
    package static func samples(_ samples: [Float], of frames: Range<Int>) -> [Float] {
        Array(samples[sampleRange(of: frames, in: samples.count)])
    }

    /// The indices of the speech of `frames` (25 fps) in `count` samples at 16 kHz:
    /// `640 first ..< 640 end`, cut at `count`.
    package static func sampleRange(of frames: Range<Int>, in count: Int) -> Range<Int> {
        min(frames.lowerBound * samplesPerFrame, count)..<min(frames.upperBound * samplesPerFrame, count)
    }

    /// Scores every track of at least ``SyncFaceCrop/minimumTrackLength`` frames on its own:
    /// its crops (``SyncFaceCrop``) against the speech of its frames, in one pass over `source`
    /// that keeps a few crops per track, never the clip (``SyncTrackScorer``).
    ///
    /// - Parameters:
    ///   - tracks: face tracks of `source` (``FaceDetections/faceTracks(options:)``).
    ///   - source: the clip at 25 fps.
    ///   - samples: its speech, mono 16 kHz on the int16 scale (``pcm16Scaled(_:)``).
    /// - Throws: ``SyncNetError/audioTooShort(seconds:needed:)`` when a track's speech is
    ///   shorter than 6 frames (before reading), and the source's reading errors.
    package func evaluate(
        tracks: [FaceBoxTrack], in source: any FrameSource, samples: [Float], vshift: Int = 15
    ) throws -> [TrackSyncScores] {
        var scorer = try SyncTrackScorer(self, tracks: tracks, samples: samples, vshift: vshift)
        if scorer.needsMoreFrames {
            let reader = try source.makeReader()
            while scorer.needsMoreFrames, let frame = try reader.next() { try scorer.append(frame) }
        }
        return try scorer.scores()
    }
}
