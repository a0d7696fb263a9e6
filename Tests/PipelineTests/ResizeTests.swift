import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

@Suite struct ResizeTests {
    @Test(arguments: ["f0", "f1", "f2", "f3"]) func bilinearMatchesOpenCV(frame: String) throws {
        let original = try Fixtures.rgbImage("mask/\(frame)_frame_uint8.npy")
        for size in [256, 64] {
            let expected = try Fixtures.rgbImage("mask/\(frame)_s\(size)_resized_uint8.npy")
            let resized = original.resizedBilinear(height: size, width: size)
            #expect(resized.shape == expected.shape)
            #expect(maxByteDifference(resized.pixels, expected.pixels) <= 1, "\(frame) at \(size)")
            #expect(differingByteCount(resized.pixels, expected.pixels) == 0, "\(frame) at \(size)")
        }
    }

    /// The float64 quirk of OpenCV's nearest rule (REFERENCE.md section 5).
    @Test func nearestUsesTheFloat64InverseScale() {
        let indices = NearestProbe.indices(source: 186, destination: 256)
        #expect(indices[128] == 92)
        #expect(indices.last == 185)
        #expect(indices.first == 0)
    }

    @Test func nearestPicksSourcePixels() {
        var generator = SeededGenerator(seed: 7)
        let image = RGBImage(
            height: 5, width: 7, pixels: (0..<105).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let up = image.resizedNearest(height: 10, width: 14)
        for y in 0..<10 {
            for x in 0..<14 {
                for c in 0..<3 { #expect(up[y, x, c] == image[y / 2, x / 2, c]) }
            }
        }
        #expect(image.resizedNearest(height: 5, width: 7) == image)
    }

    @Test func bilinearIdentityAndConstant() {
        var generator = SeededGenerator(seed: 3)
        let image = RGBImage(
            height: 9, width: 11, pixels: (0..<297).map { _ in UInt8.random(in: 0...255, using: &generator) })
        #expect(image.resizedBilinear(height: 9, width: 11) == image)
        let flat = RGBImage(height: 13, width: 17, red: 200, green: 7, blue: 255)
        for (h, w) in [(5, 3), (31, 40), (13, 1), (1, 1)] {
            #expect(flat.resizedBilinear(height: h, width: w) == RGBImage(height: h, width: w, red: 200, green: 7, blue: 255))
        }
    }

    /// Exact 2x reduction is the rounded mean of each 2x2 block.
    @Test func bilinearHalvingAveragesBlocks() {
        var generator = SeededGenerator(seed: 11)
        let gray = GrayImage(
            height: 8, width: 10, pixels: (0..<80).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let half = gray.resizedBilinear(height: 4, width: 5)
        for y in 0..<4 {
            for x in 0..<5 {
                let sum = Int(gray[2 * y, 2 * x]) + Int(gray[2 * y, 2 * x + 1]) + Int(gray[2 * y + 1, 2 * x])
                    + Int(gray[2 * y + 1, 2 * x + 1])
                #expect(Int(half[y, x]) == (sum + 2) >> 2)
            }
        }
    }
}

/// The nearest-neighbour indices, observed through a one-row gray image whose pixel values are
/// their column numbers.
enum NearestProbe {
    static func indices(source: Int, destination: Int) -> [Int] {
        precondition(source <= 256)
        let row = GrayImage(height: 1, width: source, pixels: (0..<source).map { UInt8($0) })
        return row.resizedNearest(height: 1, width: destination).pixels.map { Int($0) }
    }
}
