import DiffDubCore
import Testing

/// ``FaceDetections/faceTracks(options:)``: every face linked through its shot, numbered left
/// to right, gaps bridged, never across a cut.
@Suite struct FaceDetectionsTests {
    static func box(_ x: Float, _ y: Float, width: Float = 40) -> FaceBox {
        FaceBox(x1: x, y1: y, x2: x + width, y2: y + width, score: 0.9)
    }

    /// Ten frames: a face on the right (listed first) throughout, a face on the left missing
    /// in frames 3 and 4; a cut at frame 6, after which the faces swap sides.
    static let detections: FaceDetections = {
        var boxes: [[FaceBox]] = []
        for t in 0..<10 {
            let shift = Float(t)
            if t < 6 {
                boxes.append([box(400 + shift, 100)] + ((3...4).contains(t) ? [] : [box(100 + shift, 100)]))
            } else {
                boxes.append([box(420, 100), box(80, 120)])
            }
        }
        var differences = [Float](repeating: 0, count: 10)
        differences[6] = 0.5
        return FaceDetections(boxes: boxes, differences: differences, frameHeight: 300, frameWidth: 600)
    }()

    @Test func shotsSplitAtTheCut() {
        #expect(Self.detections.shots(options: FaceTrackingOptions()) == [0..<6, 6..<10])
    }

    @Test func tracksAreNumberedLeftToRightPerShotAndBridgeGaps() throws {
        let tracks = Self.detections.faceTracks(options: FaceTrackingOptions())
        #expect(tracks.map(\.shot) == [0, 0, 1, 1])
        #expect(tracks.map(\.face) == [0, 1, 0, 1])
        #expect(tracks.map(\.frames) == [0..<6, 0..<6, 6..<10, 6..<10])
        // The left face, bridged over frames 3 and 4 with interpolated boxes (score 0).
        let left = tracks[0]
        #expect(left.boxes.map(\.x1) == [100, 101, 102, 103, 104, 105])
        #expect(left.boxes.map(\.score) == [0.9, 0.9, 0.9, 0, 0, 0.9])
        #expect(tracks[1].boxes.allSatisfy { $0.x1 >= 400 })
        #expect(tracks[2].box(forFrame: 7)?.x1 == 80)
        #expect(tracks[3].box(forFrame: 7)?.x1 == 420)
        #expect(tracks[3].box(forFrame: 5) == nil)
    }

    @Test func aLongerGapOrAJumpStartsAnotherTrack() {
        var options = FaceTrackingOptions()
        options.maximumGap = 1
        let gapped = Self.detections.faceTracks(options: options).filter { $0.shot == 0 }
        #expect(gapped.map(\.frames) == [0..<3, 5..<6, 0..<6])
        let jumping = FaceDetections(
            boxes: [[Self.box(100, 100)], [Self.box(100, 100)], [Self.box(300, 100)]], differences: [0, 0, 0],
            frameHeight: 300, frameWidth: 600)
        #expect(jumping.faceTracks(options: FaceTrackingOptions()).map(\.frames) == [0..<2, 2..<3])
    }
}
