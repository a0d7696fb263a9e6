/// Scores every face track of a clip in one pass over its frames: each frame is cropped for
/// each track that covers it (``SyncFaceCrop``, `run_pipeline.py`'s geometry, gaps already
/// bridged in the tracks' boxes) and the crop goes to the track's own ``SyncScorer``, which
/// embeds its windows as they complete; a track is scored when its last frame has arrived.
/// Memory is O(tracks x window): at most ``SyncScorer/heldFrameLimit`` crops per track, never
/// the clip's frames.
///
/// ```
/// tracks  = those of >= 6 frames (SyncFaceCrop.minimumTrackLength), in the order given
/// frame i -> for each track k covering i: scorer[k].append(crop[k][i - first[k]].image(of: frame))
///            at k's last frame: scores[k] = scorer[k].scores(samples[640 first ..< 640 end])
/// ```
/// The scores are those of ``SyncNet/evaluate(frames:samples:vshift:)`` on each track's crops
/// collected first, bit for bit.
package struct SyncTrackScorer: Sendable {
    /// The tracks scored: those given of at least ``SyncFaceCrop/minimumTrackLength`` frames.
    package let tracks: [FaceBoxTrack]
    /// The clip's speech, mono 16 kHz on the int16 scale.
    private let samples: [Float]
    /// Each track's crop of each of its frames.
    private let crops: [[SyncFaceCrop]]
    /// The frame after the last track's last.
    private let end: Int
    /// Each track's scorer until the track is scored.
    private var scorers: [SyncScorer?]
    /// Each track's scores once its last frame has arrived.
    private var results: [SyncScores?]
    /// Frames of the clip appended so far.
    package private(set) var frameCount = 0
    /// The most crops held at once so far, over all tracks.
    package private(set) var peakHeldFrames = 0

    /// A scorer of `tracks` (those long enough) against `samples`.
    ///
    /// - Parameters:
    ///   - tracks: face tracks of the clip (``FaceDetections/faceTracks(options:)``).
    ///   - samples: the clip's speech, mono 16 kHz on the int16 scale (``SyncNet/pcm16Scaled(_:)``).
    /// - Throws: ``SyncNetError/audioTooShort(seconds:needed:)`` for the first track (in the
    ///   order given) whose speech is shorter than 6 frames, before any frame is read.
    package init(_ syncNet: SyncNet, tracks: [FaceBoxTrack], samples: [Float], vshift: Int = 15) throws {
        let scored = tracks.filter { $0.boxes.count >= SyncFaceCrop.minimumTrackLength }
        let counts = scored.map { SyncNet.sampleRange(of: $0.frames, in: samples.count).count }
        for count in counts { try SyncScorer.checkSpeech(sampleCount: count) }
        self.tracks = scored
        self.samples = samples
        crops = scored.map { SyncFaceCrop.crops(of: $0.boxes) }
        end = scored.map(\.frames.upperBound).max() ?? 0
        scorers = counts.map { SyncScorer(syncNet, sampleCount: $0, vshift: vshift) }
        results = [SyncScores?](repeating: nil, count: scored.count)
    }

    /// Whether a frame still to come is in a track: `false` once every track's last frame has
    /// arrived (and for no track at all).
    package var needsMoreFrames: Bool { frameCount < end }

    /// Crops held now, over all tracks.
    package var heldFrames: Int { scorers.reduce(0) { $0 + ($1?.heldFrames ?? 0) } }

    /// Takes the clip's next frame: crops it for every track covering it and scores each track
    /// it ends.
    ///
    /// - Throws: ``SyncNetError`` from a track's scores (not expected: the speech was checked).
    package mutating func append(_ frame: RGBImage) throws {
        let index = frameCount
        frameCount += 1
        for k in tracks.indices where tracks[k].frames.contains(index) {
            scorers[k]?.append(crops[k][index - tracks[k].firstFrame].image(of: frame))
        }
        peakHeldFrames = max(peakHeldFrames, heldFrames)
        for k in tracks.indices where tracks[k].frames.upperBound == index + 1 { try finish(k) }
    }

    /// Every track's scores, in the order of ``tracks``. A track the clip ended inside is
    /// scored on the frames it got.
    ///
    /// - Throws: ``SyncNetError/tooFewFrames(found:needed:)`` for a track the clip ended inside
    ///   before its 6th frame.
    package mutating func scores() throws -> [TrackSyncScores] {
        var scored: [TrackSyncScores] = []
        for k in tracks.indices {
            try finish(k)
            if let scores = results[k] { scored.append(TrackSyncScores(track: tracks[k], scores: scores)) }
        }
        return scored
    }

    /// Scores track `k` (once) and lets its scorer go.
    private mutating func finish(_ k: Int) throws {
        guard results[k] == nil, let scorer = scorers[k] else { return }
        let range = SyncNet.sampleRange(of: tracks[k].frames, in: samples.count)
        results[k] = try scorer.scores(samples: Array(samples[range]))
        scorers[k] = nil
    }
}
