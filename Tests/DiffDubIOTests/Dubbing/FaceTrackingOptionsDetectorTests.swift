@testable import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// A face index past the faces of a real picture, through the real detector (the checkpoints
/// and the PNG are read with DiffDubIO; the ranges themselves are tested in DiffDubCoreTests).
@Suite("Face tracking options on a picture")
struct FaceTrackingOptionsDetectorTests {
    @Test("the trackers refuse face 2 of a picture with two faces in those words")
    func trackersOnTwoFaces() throws {
        let picture = try PNGFile.read(Fixtures.url("detector/inputs/two_faces.png"))
        let analyzer = try FaceTrackerTests.analyzer()
        var options = FaceTrackingOptions()
        options.choice = .index(2)
        let expected = FaceTrackingError.faceIndexOutOfRange(input: "frames", index: 2, mostFaces: 2)
        #expect(throws: expected) { try FaceTracker(analyzer: analyzer, options: options).track(InMemoryFrames([picture])) }
        #expect(throws: expected) { try ClipFaceTracker(analyzer: analyzer, options: options).track(InMemoryFrames([picture])) }
        options.choice = .index(1)
        let right = try FaceTracker(analyzer: analyzer, options: options).track(InMemoryFrames([picture]))
        #expect(right.framesWithoutFace.isEmpty)
    }
}
