import DiffDubCore
import Foundation
import TestSupport
import Testing

/// ``SyncTrackScorer`` and ``SyncNet/evaluate(tracks:in:samples:vshift:)``: one pass over a clip
/// whose frames are made only when read, a bounded number of crops held, and each track's
/// scores equal bit for bit to the array path on its crops collected first.
@Suite struct SyncTrackScorerTests {
    /// A clip of `count` 320 x 240 frames of seeded noise, each made when read; counts the
    /// readers made and the frames handed out.
    struct LazyClip: FrameSource {
        final class Counts: @unchecked Sendable {
            private let lock = NSLock()
            private var values = (readers: 0, frames: 0)
            var readers: Int { lock.withLock { values.readers } }
            var frames: Int { lock.withLock { values.frames } }
            func addReader() { lock.withLock { values.readers += 1 } }
            func addFrame() { lock.withLock { values.frames += 1 } }
        }

        final class Reader: FrameReader {
            let count: Int
            let counts: Counts
            var index = 0
            init(count: Int, counts: Counts) {
                self.count = count
                self.counts = counts
            }
            func next() throws -> RGBImage? {
                guard index < count else { return nil }
                defer { index += 1 }
                counts.addFrame()
                return LazyClip.frame(index)
            }
        }

        let count: Int
        let counts = Counts()
        var frameCount: Int? { count }
        var name: String { "lazy" }
        func makeReader() throws -> any FrameReader {
            counts.addReader()
            return Reader(count: count, counts: counts)
        }

        static func frame(_ index: Int) -> RGBImage {
            var generator = SplitMix64(seed: 1000 + UInt64(index))
            return RGBImage(height: 240, width: 320, pixels: (0..<(240 * 320 * 3)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
    }

    /// Two overlapping tracks of 24 frames (19 windows each: a batch of 16 and 3), moving, and
    /// one of 5 frames (too short to score).
    static let tracks: [FaceBoxTrack] = [
        FaceBoxTrack(
            shot: 0, face: 0, firstFrame: 0,
            boxes: (0..<24).map { FaceBox(x1: 60 + Float($0), y1: 70, x2: 150 + Float($0), y2: 170, score: 1) }),
        FaceBoxTrack(
            shot: 0, face: 1, firstFrame: 4,
            boxes: (0..<24).map { FaceBox(x1: 200, y1: 60 + Float($0) / 2, x2: 280, y2: 150, score: 1) }),
        FaceBoxTrack(shot: 0, face: 2, firstFrame: 2, boxes: [FaceBox](repeating: FaceBox(x1: 10, y1: 10, x2: 40, y2: 40, score: 1), count: 5)),
    ]

    @Test func onePassHoldsAFewCropsPerTrackAndScoresAsTheArrayPath() throws {
        let syncNet = SyncNetModelTests.model.0
        let clip = LazyClip(count: 40)
        let samples = SyncScorerTests.speech(40 * 640, seed: 5)

        // The array path: each track's crops collected, then scored.
        let expected = try Self.tracks.prefix(2).map { track in
            let crops = try SyncFaceCrop.images(of: track, in: clip)
            return SyncScorerTests.arrayScores(syncNet, frames: crops, samples: SyncNet.samples(samples, of: track.frames))
        }

        var scorer = try SyncTrackScorer(syncNet, tracks: Self.tracks, samples: samples)
        #expect(scorer.tracks == Array(Self.tracks.prefix(2)))
        let reader = try clip.makeReader()
        while scorer.needsMoreFrames, let frame = try reader.next() {
            try scorer.append(frame)
            #expect(scorer.heldFrames <= 2 * SyncScorer.heldFrameLimit)
        }
        #expect(scorer.frameCount == 28)  // the last track's end: the rest of the clip is not read
        #expect(scorer.peakHeldFrames <= 2 * SyncScorer.heldFrameLimit)
        #expect(scorer.heldFrames == 0)  // both tracks ended and were scored
        let streamed = try scorer.scores()
        #expect(streamed.map(\.track) == Array(Self.tracks.prefix(2)))
        #expect(streamed.map(\.scores) == expected)

        // Through evaluate(tracks:in:): one reader, frames read up to the last track's end.
        let fresh = LazyClip(count: 40)
        let evaluated = try syncNet.evaluate(tracks: Self.tracks, in: fresh, samples: samples)
        #expect(evaluated.map(\.scores) == expected)
        #expect(fresh.counts.readers == 1 && fresh.counts.frames == 28)
    }

    /// A track's speech shorter than 6 frames fails before a frame is read: 6 frames of speech
    /// give track 0 (from frame 0) its 6, track 1 (from frame 4) 2.
    @Test func shortSpeechFailsBeforeReading() {
        let clip = LazyClip(count: 40)
        #expect(throws: SyncNetError.audioTooShort(seconds: 0.08, needed: 0.24)) {
            try SyncNetModelTests.model.0.evaluate(tracks: Self.tracks, in: clip, samples: SyncScorerTests.speech(6 * 640, seed: 1))
        }
        #expect(clip.counts.readers == 0)
    }
}
