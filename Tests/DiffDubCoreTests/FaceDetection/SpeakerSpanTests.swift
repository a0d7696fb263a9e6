import DiffDubCore
import Foundation
import Testing

/// ``SpeakerSpan``: the dubbed face of each frame from the face tracks, by number per shot.
@Suite struct SpeakerSpanTests {
    @Test func eachFrameFollowsTheNamedFaceOfItsShot() throws {
        let detections = FaceDetectionsTests.detections
        let spans = [SpeakerSpan(frames: 0..<4, face: 1), SpeakerSpan(frames: 6..<9, face: 0)]
        let chosen = try SpeakerSpan.chosenBoxes(detections, spans: spans, options: FaceTrackingOptions(), input: "clip")
        #expect(chosen.count == 10)
        // Shot 0, face 1 (the right one) in frames 0..<4; nothing in 4..<6; shot 1, face 0 (left) in 6..<9.
        #expect(chosen[0..<4].allSatisfy { ($0?.x1 ?? 0) >= 400 })
        #expect(chosen[4..<6].allSatisfy { $0 == nil })
        #expect(chosen[6..<9].allSatisfy { $0?.x1 == 80 })
        #expect(chosen[9] == nil)
        let always = try SpeakerSpan.chosenBoxes(
            detections, spans: SpeakerSpan.always(0), options: FaceTrackingOptions(), input: "clip")
        #expect(always.allSatisfy { ($0?.x1 ?? 1000) < 400 })
    }

    @Test func aFaceNoShotHasIsOneLine() {
        #expect(throws: FaceTrackingError.invalidOption(
            "clip: there is no face 3 to dub: the clip has 2 faces (numbered from 0, left to right)")) {
            try SpeakerSpan.chosenBoxes(
                FaceDetectionsTests.detections, spans: SpeakerSpan.always(3), options: FaceTrackingOptions(), input: "clip")
        }
    }

    @Test func optionsKeepTheSpansThroughJSON() throws {
        var options = FaceTrackingOptions()
        options.speakers = [SpeakerSpan(frames: 25..<50, face: 1)]
        let decoded = try JSONDecoder().decode(FaceTrackingOptions.self, from: JSONEncoder().encode(options))
        #expect(decoded == options)
        #expect(try JSONDecoder().decode(FaceTrackingOptions.self, from: Data("{}".utf8)).speakers == nil)
    }
}
