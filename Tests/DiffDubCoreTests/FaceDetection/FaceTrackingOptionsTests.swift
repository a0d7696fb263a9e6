@testable import DiffDubCore
import Foundation
import TestSupport
import Testing

/// Face tracking options against their ranges, landmark smoothing at any radius, and a face
/// index past the clip's faces said as such (issue 29).
@Suite("Face tracking options")
struct FaceTrackingOptionsTests {
    static func message(_ options: FaceTrackingOptions) -> String? {
        do {
            try options.validate()
            return nil
        } catch let error as FaceTrackingError {
            return error.description
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test("each option's edges: refused naming it and its range")
    func edges() {
        let cases: [(String, (inout FaceTrackingOptions) -> Void)] = [
            ("expandRatio inf", { $0.expandRatio = .infinity }), ("expandRatio nan", { $0.expandRatio = .nan }),
            ("expandRatio -1.0", { $0.expandRatio = -1 }), ("expandRatio 11.0", { $0.expandRatio = 11 }),
            ("smoothingRadius 9223372036854775807", { $0.smoothingRadius = .max }),
            ("smoothingRadius -1", { $0.smoothingRadius = -1 }),
            ("regionSmoothingRadius 9223372036854775807", { $0.regionSmoothingRadius = .max }),
            ("detectEvery 0", { $0.detectEvery = 0 }), ("detectEvery 9223372036854775807", { $0.detectEvery = .max }),
            ("maximumGap 9223372036854775807", { $0.maximumGap = .max }),
            ("faceJump nan", { $0.faceJump = .nan }), ("faceJump 0.0", { $0.faceJump = 0 }),
            ("choice 9223372036854775807", { $0.choice = .index(.max) }), ("choice -1", { $0.choice = .index(-1) }),
            ("shotCuts.thumbnailWidth 9223372036854775807", { $0.shotCuts.thumbnailWidth = .max }),
            ("shotCuts.window 0", { $0.shotCuts.window = 0 }),
            ("shotCuts.ratio nan", { $0.shotCuts.ratio = .nan }),
            ("region 9223372036854775807,0,1", { $0.region = FaceRegion(x: .max, y: 0, size: 1) }),
        ]
        for (named, change) in cases {
            var options = FaceTrackingOptions()
            change(&options)
            let message = Self.message(options)
            #expect(message?.hasPrefix("FaceTrackingOptions.\(named):") == true, "\(named): \(message ?? "accepted")")
            #expect(message.map { $0.contains("expected") && !$0.contains("\n") } == true)
        }
        var bounds = FaceTrackingOptions()
        bounds.expandRatio = 10
        bounds.smoothingRadius = 1000
        bounds.detectEvery = 1000
        bounds.choice = .index(999)
        #expect(Self.message(bounds) == nil)
        #expect(Self.message(FaceTrackingOptions()) == nil)
    }

    @Test("smoothing with a radius past the track (or Int.max) averages the whole run, without overflow")
    func smoothingRadius() {
        let a = FaceLandmarks(points: .init(repeating: SIMD2(0, 0), count: FaceLandmarks.count))
        let b = FaceLandmarks(points: .init(repeating: SIMD2(3, 6), count: FaceLandmarks.count))
        let track: [FaceLandmarks?] = [a, b, nil, b]
        let wide = LandmarkSmoothing.smoothed(track, radius: .max)
        #expect(wide[0]?.points[0] == SIMD2(1.5, 3) && wide[1]?.points[0] == SIMD2(1.5, 3))
        #expect(wide[2] == nil && wide[3] == b)
        #expect(LandmarkSmoothing.smoothed(track, radius: 4) == wide)
    }

    @Test("face K of a clip with fewer faces says how many there are")
    func faceIndexPastTheFaces() throws {
        let boxes = [[FaceBox](), [Self.box(10), Self.box(50)], [Self.box(10)]]
        #expect(throws: FaceTrackingError.faceIndexOutOfRange(input: "clip.mp4", index: 2, mostFaces: 2)) {
            try FaceChoice.index(2).checkReachable(in: boxes, input: "clip.mp4")
        }
        try FaceChoice.index(1).checkReachable(in: boxes, input: "clip.mp4")
        try FaceChoice.largest.checkReachable(in: boxes, input: "clip.mp4")
        try FaceChoice.index(3).checkReachable(in: [[], []], input: "clip.mp4")  // no face at all: reported elsewhere
        let line = FaceTrackingError.faceIndexOutOfRange(input: "clip.mp4", index: 2, mostFaces: 2).description
        #expect(line == "FaceTrackingOptions.choice 2: clip.mp4 has at most 2 faces in a frame (faces 0 to 1, counted from the left)")
        #expect(FaceTrackingError.faceIndexOutOfRange(input: "a.png", index: 1, mostFaces: 1).description.hasSuffix("1 face in a frame (face 0)"))
    }

    static func box(_ x: Float) -> FaceBox {
        FaceBox(x1: x, y1: 10, x2: x + 30, y2: 40, score: 0.9)
    }
}
