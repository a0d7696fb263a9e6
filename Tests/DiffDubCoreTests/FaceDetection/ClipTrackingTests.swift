import DiffDubCore
import Foundation
import TestSupport
import Testing

/// Crop choice, face choice, smoothing and NMS on hand-made boxes.
@Suite("Clip tracking")
struct ClipTrackingTests {
    static func box(_ x1: Float, _ y1: Float, _ x2: Float, _ y2: Float, score: Float = 0.9) -> FaceBox {
        FaceBox(x1: x1, y1: y1, x2: x2, y2: y2, score: score)
    }

    @Test("the clip crop: upper medians, expanded, limited by the frame, moved inside it")
    func crop() {
        let boxes = [Self.box(100, 100, 200, 220), Self.box(110, 90, 210, 200), Self.box(400, 400, 420, 420)]
        // Medians: cx 160 (150, 160, 410), cy 155 (160, 145, 410 -> sorted 145, 160, 410 -> 160)...
        let region = ClipCrop.region(boxes: boxes, expandRatio: 0.6, height: 720, width: 1280)
        // cx: 150, 160, 410 -> 160; cy: 160, 145, 410 -> 160; w: 100, 100, 20 -> 100; h: 120, 110, 20 -> 110.
        // side = max(int(160), int(176)) = 176; corner (int(160 - 88), int(160 - 88)) = (72, 72).
        #expect(region == FaceRegion(x: 72, y: 72, size: 176))
        // Near the edge the square moves inside; a huge face is limited to the frame.
        #expect(ClipCrop.region(boxes: [Self.box(0, 0, 50, 50)], height: 100, width: 200) == FaceRegion(x: 0, y: 0, size: 80))
        #expect(ClipCrop.region(boxes: [Self.box(0, 0, 190, 90)], height: 100, width: 200)?.size == 100)
        #expect(ClipCrop.region(boxes: [], height: 100, width: 100) == nil)
    }

    @Test("face choice: the widest, or K from the left")
    func choice() {
        let boxes = [Self.box(800, 100, 860, 160), Self.box(100, 100, 200, 200), Self.box(400, 100, 450, 150)]
        #expect(FaceChoice.largest.pick(boxes) == boxes[1])
        #expect(FaceChoice.index(0).pick(boxes) == boxes[1])
        #expect(FaceChoice.index(1).pick(boxes) == boxes[2])
        #expect(FaceChoice.index(2).pick(boxes) == boxes[0])
        #expect(FaceChoice.index(3).pick(boxes) == nil)
        #expect(FaceChoice.largest.pick([]) == nil)
    }

    @Test("NMS drops overlaps above the threshold, keeps order")
    func nms() {
        let boxes = [Self.box(0, 0, 99, 99, score: 0.9), Self.box(10, 10, 109, 109, score: 0.8), Self.box(200, 200, 299, 299, score: 0.7)]
        // IoU of the first two: 90*90 / (2*100*100 - 8100) = 0.68 -> dropped.
        #expect(BoxDecoding.nonMaximumSuppression(boxes, threshold: 0.3) == [0, 2])
        #expect(BoxDecoding.nonMaximumSuppression(boxes, threshold: 0.7) == [0, 1, 2])
        #expect(BoxDecoding.nonMaximumSuppression([], threshold: 0.3).isEmpty)
    }

    @Test("smoothing: centred moving average, broken by frames without a face")
    func smoothing() {
        func points(_ v: Float) -> FaceLandmarks { FaceLandmarks(points: Array(repeating: SIMD2(v, 2 * v), count: 68)) }
        let track: [FaceLandmarks?] = [points(0), points(3), points(6), nil, points(9), points(12)]
        let smoothed = LandmarkSmoothing.smoothed(track, radius: 1)
        #expect(smoothed[0] == points(1.5))
        #expect(smoothed[1] == points(3))
        #expect(smoothed[2] == points(4.5))
        #expect(smoothed[3] == nil)
        #expect(smoothed[4] == points(10.5))
        #expect(smoothed[5] == points(10.5))
        #expect(LandmarkSmoothing.smoothed(track, radius: 0) == track)
    }

    @Test("priors: counts per map and the dense anchors of the first cell")
    func priors() {
        let priors = PriorBoxes.anchors(height: 64, width: 96)
        // Maps 2x3 (step 32), 1x2 (64), 1x1 (128): 6 * 21 + 2 + 1.
        #expect(priors.shape == [129, 4])
        let p = priors.scalars
        #expect(Array(p[0..<4]) == [0, 0, Float(32.0 / 96), Float(32.0 / 64)])
        #expect(Array(p[4..<6]) == [Float(8.0 / 96), 0])  // second dense centre: x + 0.25 * 32
        #expect(Array(p[64..<68]) == [0, 0, Float(64.0 / 96), Float(64.0 / 64)])  // first 64 anchor
        #expect(Array(p[80..<84]) == [Float(16.0 / 96), Float(16.0 / 64), Float(128.0 / 96), Float(128.0 / 64)])
    }
}
