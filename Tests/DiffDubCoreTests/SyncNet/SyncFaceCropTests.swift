import DiffDubCore
import Testing

/// ``SyncFaceCrop``: `run_pipeline.py`'s crop geometry, worked out by hand.
@Suite struct SyncFaceCropTests {
    @Test func medianFilterPadsWithZerosAsScipy() {
        #expect(SyncFaceCrop.medianFiltered([1, 2, 3, 4, 5], window: 3) == [1, 2, 3, 4, 4])
        #expect(SyncFaceCrop.medianFiltered([Double](repeating: 10, count: 7), window: 13) == [Double](repeating: 10, count: 7))
        // Six frames: with 13 the zeros win the median everywhere (run_pipeline.py's empty crops).
        #expect(SyncFaceCrop.medianFiltered([Double](repeating: 10, count: 6), window: 13) == [Double](repeating: 0, count: 6))
        #expect(SyncFaceCrop.minimumTrackLength == 6)
    }

    @Test func shortTracksAreSmoothedOverTwiceTheirLengthLessOne() {
        #expect((1...8).map { SyncFaceCrop.smoothingWindow(frames: $0) } == [1, 3, 5, 7, 9, 11, 13, 13])
        #expect(SyncFaceCrop.smoothingWindow(frames: 500) == 13)
        // Six boxes with one outlier: smoothed over 11, every crop is the steady box (the
        // zeros at the ends never win), the outlier filtered away.
        var boxes = [FaceBox](repeating: FaceBox(x1: 100, y1: 50, x2: 140, y2: 110, score: 1), count: 6)
        boxes[2] = FaceBox(x1: 300, y1: 50, x2: 340, y2: 110, score: 1)
        #expect(SyncFaceCrop.crops(of: boxes) == [SyncFaceCrop](repeating: SyncFaceCrop(centerX: 120, centerY: 80, halfSide: 30), count: 6))
        // Seven boxes and more: scipy's medfilt of 13, as run_pipeline.py (the ends take the
        // smallest of their 7 values).
        let growing = (0..<7).map { FaceBox(x1: 100, y1: 50, x2: 140 + Float(2 * $0), y2: 110, score: 1) }
        let crops = SyncFaceCrop.crops(of: growing)
        #expect(crops.map(\.centerX) == SyncFaceCrop.medianFiltered(growing.map { (Double($0.x1) + Double($0.x2)) / 2 }, window: 13))
        #expect(crops[0].centerX == 120 && crops[6].centerX == 120)
    }

    @Test func cropsAreHalfTheLargerSideSmoothedOverTheTrack() {
        var boxes = [FaceBox](repeating: FaceBox(x1: 100, y1: 50, x2: 140, y2: 110, score: 1), count: 9)
        boxes[4] = FaceBox(x1: 300, y1: 50, x2: 340, y2: 110, score: 1)  // one outlier, filtered away
        let crops = SyncFaceCrop.crops(of: boxes)
        #expect(crops.allSatisfy { $0 == SyncFaceCrop(centerX: 120, centerY: 80, halfSide: 30) })
    }

    @Test func windowIsTheNumpySliceOfThePaddedFrame() {
        // s = 30, padding int(30 * 1.8) = 54: rows int(134 - 30) ..< int(134 + 54), columns
        // int(174 - 42) ..< int(174 + 42).
        let crop = SyncFaceCrop(centerX: 120, centerY: 80, halfSide: 30)
        #expect(crop.padding == 54)
        let window = crop.window(frameHeight: 200, frameWidth: 300)
        #expect(window.rows == 104..<188)
        #expect(window.columns == 132..<216)
    }

    @Test func theFrameIsPaddedWith110() {
        // A face in the top left corner: s = 20, padding 36, rows 36 ..< 92 (frame rows 0 ..< 56),
        // columns 28 ..< 84 (frame columns -8 ..< 48): the left 8 of 56 columns are padding.
        let crop = SyncFaceCrop(centerX: 20, centerY: 20, halfSide: 20)
        let frame = RGBImage(height: 200, width: 300, red: 200, green: 200, blue: 200)
        let image = crop.image(of: frame)
        #expect(image.width == 224 && image.height == 224)
        for y in [0, 100, 223] {
            #expect(image[y, 10, 0] == 110 && image[y, 10, 2] == 110)
            #expect(image[y, 200, 1] == 200)
        }
    }
}
