import DiffDubCore
import Foundation
import Testing

/// ``TrackSyncScores/firstOutOfSync(_:dubbing:)``: which face `dub`'s note on the input's own
/// sync looks at, and the 2-frame threshold.
@Suite struct TrackSyncScoresInputCheckTests {
    /// Scores whose A-V offset is `offset`: audio window `j` is lip window `j + offset`'s
    /// embedding (`SyncScoresTests`' construction).
    static func scores(offset: Int) -> SyncScores {
        let windows = 40
        let lips = SyncScoresTests.embeddings(windows, width: 16, seed: 1)
        let noise = SyncScoresTests.embeddings(windows, width: 16, seed: 2)
        let audio = (0..<windows).map { j in lips.indices.contains(j + offset) ? lips[j + offset] : noise[j] }
        let scores = SyncScores(
            lipEmbeddings: SyncScoresTests.tensor(lips), audioEmbeddings: SyncScoresTests.tensor(audio), vshift: 15)
        return scores
    }

    /// A track of 10 frames from frame 0 whose box is `width` wide.
    static func track(shot: Int = 0, face: Int, width: Float, offset: Int) -> TrackSyncScores {
        let box = FaceBox(x1: 100 * Float(face), y1: 0, x2: 100 * Float(face) + width, y2: width, score: 1)
        return TrackSyncScores(
            track: FaceBoxTrack(shot: shot, face: face, firstFrame: 10 * shot, boxes: [FaceBox](repeating: box, count: 10)),
            scores: scores(offset: offset))
    }

    @Test func theConstructionGivesTheOffsetAsked() {
        for offset in [-3, -2, 0, 1, 2, 5] { #expect(Self.scores(offset: offset).offset == offset) }
    }

    @Test func twoFramesOrMoreEitherWayIsOutOfSync() {
        let options = FaceTrackingOptions()
        for (offset, noted) in [(0, false), (1, false), (-1, false), (2, true), (-2, true), (7, true)] {
            let found = TrackSyncScores.firstOutOfSync([Self.track(face: 0, width: 50, offset: offset)], dubbing: options)
            #expect((found != nil) == noted, "offset \(offset)")
        }
        #expect(TrackSyncScores.firstOutOfSync([], dubbing: options) == nil)
    }

    @Test func onlyTheFacesTheDubChangesCount() {
        // Shot 0: face 0 narrow and in sync, face 1 wide and 3 frames off.
        let tracks = [Self.track(face: 0, width: 50, offset: 0), Self.track(face: 1, width: 80, offset: 3)]
        var options = FaceTrackingOptions()
        #expect(TrackSyncScores.firstOutOfSync(tracks, dubbing: options)?.track.face == 1)  // the widest
        options.choice = .index(0)
        #expect(TrackSyncScores.firstOutOfSync(tracks, dubbing: options) == nil)
        options.choice = .index(1)
        #expect(TrackSyncScores.firstOutOfSync(tracks, dubbing: options)?.scores.offset == 3)
        options.choice = .largest
        options.speakers = SpeakerSpan.always(0)
        #expect(TrackSyncScores.firstOutOfSync(tracks, dubbing: options) == nil)
        options.speakers = [SpeakerSpan(frames: 0..<2, face: 0), SpeakerSpan(frames: 8..<20, face: 1)]
        #expect(TrackSyncScores.firstOutOfSync(tracks, dubbing: options)?.track.face == 1)
        // A face numbered only in a later shot: the first out-of-sync shot is reported.
        let later = tracks + [Self.track(shot: 1, face: 0, width: 60, offset: -4)]
        options.speakers = SpeakerSpan.always(0)
        #expect(TrackSyncScores.firstOutOfSync(later, dubbing: options)?.track.shot == 1)
    }
}
