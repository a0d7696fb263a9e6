import DiffDubCore
import Foundation
import Testing

/// Cut detection, track smoothing, crop squares and the empty-mask check on hand-made numbers.
@Suite("Shots and smoothing")
struct ShotAndSmoothingTests {
    @Test("cuts: a spike over the local median, not steady motion nor small noise")
    func cuts() {
        let detector = ShotCutDetector()
        // A steady pan (0.03 per frame) with a cut at frame 6.
        var pan = [Float](repeating: 0.03, count: 12)
        pan[0] = 0
        pan[6] = 0.25
        #expect(detector.cuts(differences: pan) == [6])
        // A fast pan whose differences are all large has no cut.
        #expect(detector.cuts(differences: [0] + Array(repeating: 0.2, count: 10)).isEmpty)
        // Still frames with a little noise, and a jump below the minimum difference.
        #expect(detector.cuts(differences: [0, 0.002, 0.001, 0.04, 0.002, 0.001]).isEmpty)
        // Two cuts close together, and a cut at the second frame.
        #expect(detector.cuts(differences: [0, 0.3, 0.01, 0.01, 0.4, 0.01, 0.35, 0.01]) == [1, 4, 6])
        #expect(detector.cuts(differences: [0]).isEmpty && detector.cuts(differences: []).isEmpty)
        // A one-frame insert: the two spikes side by side are both cuts, in a short clip too.
        #expect(detector.cuts(differences: [0, 0.01, 0.02, 0.15, 0.14, 0.01, 0.02, 0.01]) == [3, 4])
        #expect(detector.cuts(differences: [0, 0.15, 0.14]) == [1, 2])
    }

    @Test("thumbnails: cell means of the luma; difference 0 for equal, 1 for black vs white")
    func thumbnails() {
        let detector = ShotCutDetector()
        let grey = RGBImage(height: 36, width: 64, red: 100, green: 100, blue: 100)
        let thumbnail = detector.thumbnail(of: grey)
        #expect(thumbnail.count == 48 * 27)
        #expect(thumbnail.allSatisfy { abs($0 - 100.0 / 255) < 1e-4 })
        let black = detector.thumbnail(of: RGBImage(height: 36, width: 64))
        let white = detector.thumbnail(of: RGBImage(height: 36, width: 64, red: 255, green: 255, blue: 255))
        #expect(abs(ShotCutDetector.difference(black, white) - 1) < 1e-4)
        #expect(ShotCutDetector.difference(thumbnail, thumbnail) == 0)
        #expect(ShotCutDetector.difference(thumbnail, [0.5]) == 1)
        // A frame smaller than the grid keeps its own size.
        #expect(detector.thumbnail(of: RGBImage(height: 4, width: 8)).count == 32)
    }

    @Test("local line fit: a steady motion is kept exactly, even at the ends and across gaps; noise shrinks")
    func smoothing() throws {
        let line: [Double?] = (0..<10).map { 5 + 3 * Double($0) }
        let smoothed = TrackSmoothing.locallyLinear(line, radius: 3)
        for i in 0..<10 { #expect(abs(try #require(smoothed[i]) - (5 + 3 * Double(i))) < 1e-9) }
        var gappy = line
        gappy[4] = nil
        gappy[5] = nil
        let bridged = TrackSmoothing.locallyLinear(gappy, radius: 3)
        #expect(abs(try #require(bridged[4]) - 17) < 1e-9)
        // Alternating +-1 around a constant: the spread shrinks.
        let noisy: [Double?] = (0..<20).map { 50 + ($0 % 2 == 0 ? 1 : -1) }
        let calmer = TrackSmoothing.locallyLinear(noisy, radius: 4)
        for i in 4..<16 { #expect(abs(try #require(calmer[i]) - 50) < 0.25) }
        #expect(TrackSmoothing.locallyLinear(noisy, radius: 0) == noisy)
        #expect(TrackSmoothing.locallyLinear([nil, nil], radius: 2) == [nil, nil])
    }

    @Test("crop squares: 1.6 times the larger side, centred, moved inside the frame")
    func squares() {
        let square = FaceTracker.square(
            centerX: 320, centerY: 180, width: 50, height: 60, expandRatio: 0.6, frameHeight: 360, frameWidth: 640)
        #expect(square == FaceRegion(x: 272, y: 132, size: 96))
        let edge = FaceTracker.square(
            centerX: 10, centerY: 350, width: 50, height: 50, expandRatio: 0.6, frameHeight: 360, frameWidth: 640)
        #expect(edge == FaceRegion(x: 0, y: 280, size: 80))
        let huge = FaceTracker.square(
            centerX: 320, centerY: 180, width: 500, height: 500, expandRatio: 0.6, frameHeight: 360, frameWidth: 640)
        #expect(huge == FaceRegion(x: 140, y: 0, size: 360))
    }

    @Test("a face whose mouth mask is empty at the model's size is kept unchanged")
    func emptyMask() {
        // A plausible face in the region, and the same points far outside the region.
        var points: [SIMD2<Float>] = []
        for k in 0..<68 {
            let x = Float(40 + k % 17 * 2)
            let y = Float(40 + k / 17 * 10)
            points.append(SIMD2(x, y))
        }
        let face = FaceLandmarks(points: points)
        let away = face.translated(by: SIMD2<Float>(1000, 1000))
        let region = FaceRegion(x: 0, y: 0, size: 128)
        let frames = [
            TrackedFrame(region: region, landmarks: face, box: nil, shot: 0),
            TrackedFrame(region: region, landmarks: away, box: nil, shot: 0),
            TrackedFrame(region: nil, landmarks: nil, box: nil, shot: 0),
        ]
        let track = FaceTrack(
            frames: frames, shots: [Shot(frames: 0..<3, boundary: .clipStart)], frameHeight: 200, frameWidth: 300,
            isStill: false)
        let checked = track.checkingMasks(imageSize: 32)
        #expect(checked.framesWithEmptyMask == [1])
        #expect(checked.framesWithoutFace == [1, 2])
        #expect(checked.regions == FaceRegions.perFrame([region, nil, nil]))
        #expect(checked.landmarks(forFrame: 0) == face)
    }

    @Test("face regions: whole, fixed, per frame")
    func regions() {
        let square = FaceRegion(x: 1, y: 2, size: 3)
        #expect(FaceRegions(nil) == .whole && FaceRegions(square) == .fixed(square))
        #expect(FaceRegions.whole.region(forFrame: 5, height: 8, width: 8) == FaceRegion(x: 0, y: 0, size: 8))
        #expect(FaceRegions.whole.region(forFrame: 5, height: 8, width: 9) == nil)
        #expect(FaceRegions.fixed(square).region(forFrame: 99, height: 8, width: 9) == square)
        let list = FaceRegions.perFrame([square, nil])
        #expect(list.region(forFrame: 0, height: 8, width: 9) == square)
        #expect(list.region(forFrame: 1, height: 8, width: 9) == nil && list.hasNoRegion(atFrame: 1))
        #expect(list.hasNoRegion(atFrame: 2) && !list.hasNoRegion(atFrame: 0))
        #expect(!FaceRegions.whole.hasNoRegion(atFrame: 3))
    }
}
