import DiffDubCore
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

    /// `cv2.resize` (opencv-python 5.0) of the pattern `(37x + 91y + 13xy + 71c) mod 256` at
    /// non-integer ratios, where the fixed-point rounding matters.
    @Test func bilinearMatchesOpenCVReferenceAtOddRatios() {
        let gray = GrayImage(height: 9, width: 13, pixels: Self.pattern(height: 9, width: 13, channels: 1))
        #expect(
            gray.resizedBilinear(height: 5, width: 7).pixels == [
                54, 133, 109, 187, 112, 88, 166, 177, 94, 165, 82, 152, 91, 140, 146, 55, 184, 130, 76, 205,
                114, 93, 68, 196, 178, 182, 135, 87, 172, 190, 77, 73, 106, 138, 171,
            ])
        let rgb = RGBImage(height: 6, width: 5, pixels: Self.pattern(height: 6, width: 5, channels: 3))
        #expect(rgb.resizedBilinear(height: 11, width: 9).pixels == Self.rgbUpscaled)
    }

    static func pattern(height: Int, width: Int, channels: Int) -> [UInt8] {
        var out: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels { out.append(UInt8((x * 37 + y * 91 + x * y * 13 + c * 71) % 256)) }
            }
        }
        return out
    }

    static let rgbUpscaled: [UInt8] = [
        0, 71, 142, 12, 83, 154, 33, 104, 175, 53, 124, 195, 74, 145, 216, 94, 165, 236, 115, 186, 228, 136, 206,
        107, 148, 219, 34, 29, 100, 171, 43, 114, 157, 65, 136, 135, 88, 123, 149, 111, 101, 172, 134, 124, 194,
        148, 146, 198, 125, 169, 124, 112, 183, 79, 79, 149, 221, 95, 166, 163, 121, 192, 67, 148, 121, 69, 175,
        25, 96, 202, 52, 123, 204, 78, 146, 108, 105, 153, 50, 121, 157, 128, 199, 165, 147, 183, 133, 177, 155,
        80, 161, 107, 94, 134, 54, 125, 165, 84, 97, 179, 115, 82, 125, 146, 112, 93, 164, 131, 178, 249, 75, 199,
        188, 92, 233, 87, 121, 159, 89, 154, 58, 118, 188, 93, 152, 88, 126, 187, 14, 154, 222, 48, 171, 242, 69,
        100, 171, 114, 123, 151, 137, 161, 118, 175, 143, 143, 157, 111, 182, 125, 149, 149, 92, 173, 131, 74,
        141, 169, 112, 122, 193, 136, 21, 92, 163, 47, 114, 185, 89, 150, 221, 127, 191, 153, 163, 234, 60, 205,
        140, 96, 220, 73, 134, 127, 109, 176, 71, 131, 202, 71, 142, 213, 99, 119, 190, 145, 82, 153, 124, 111,
        136, 87, 158, 124, 133, 146, 87, 168, 129, 66, 156, 92, 112, 149, 69, 140, 120, 156, 227, 139, 113, 184,
        170, 41, 111, 118, 66, 122, 46, 117, 153, 96, 148, 80, 143, 158, 33, 174, 86, 83, 192, 42, 113, 170, 66,
        137, 144, 72, 143, 102, 81, 152, 101, 126, 120, 110, 181, 77, 164, 138, 86, 199, 106, 104, 157, 115, 159,
        131, 120, 191, 199, 14, 85, 148, 48, 119, 62, 105, 176, 90, 161, 118, 147, 218, 33, 203, 132, 90, 232, 75,
        146, 146, 132, 203, 95, 166, 237,
    ]

    /// The float64 quirk of OpenCV's nearest rule (the original's mask code resizes with `cv2.INTER_NEAREST`, whose source index is computed in float64).
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
            #expect(
                flat.resizedBilinear(height: h, width: w)
                    == RGBImage(height: h, width: w, red: 200, green: 7, blue: 255))
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
                let sum =
                    Int(gray[2 * y, 2 * x]) + Int(gray[2 * y, 2 * x + 1]) + Int(gray[2 * y + 1, 2 * x])
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

@Suite struct ImageTensorTests {
    @Test func normalisesLikeToTensorAndNormalize() {
        let image = RGBImage(height: 1, width: 2, pixels: [0, 255, 128, 1, 2, 3])
        let t = image.normalizedTensor()
        #expect(t.shape == [3, 1, 2])
        // Channel-first: R = (0, 1), G = (255, 2), B = (128, 3).
        let expected: [Float] = [0, 1, 255, 2, 128, 3].map { (Float($0) / 255 - 0.5) / 0.5 }
        #expect(t.scalars == expected)
        #expect(t.scalars[0] == -1 && t.scalars[2] == 1)
        let batch = RGBImage.normalizedBatch([image, RGBImage(height: 1, width: 2, red: 255)])
        #expect(batch.shape == [2, 3, 1, 2])
        #expect(Array(batch.scalars[0..<6]) == expected)
        #expect(Array(batch.scalars[6..<12]) == [1, 1, -1, -1, -1, -1])
    }

    @Test func backToBytesTruncatesOrRounds() {
        let unit = Tensor(shape: [1, 3, 1, 2], scalars: [0.999, 1.5, 0.5, -0.2, Float.nan, 0.0021])
        let truncated = RGBImage(unitTensor: unit)
        // Channel-first input: pixel 0 = (0.999, 0.5, NaN), pixel 1 = (1.5, -0.2, 0.0021).
        #expect(truncated.pixels == [254, 127, 0, 255, 0, 0])
        let rounded = RGBImage(unitTensor: unit, quantization: .round)
        #expect(rounded.pixels == [255, 128, 0, 255, 0, 1])
        // [-1, 1] values: byte = trunc(255 * (v + 1) / 2).
        let signed = Tensor(shape: [3, 1, 1], scalars: [-1, 0, 1])
        #expect(RGBImage(signedTensor: signed).pixels == [0, 127, 255])
        // Byte -> normalised -> byte is the identity with rounding.
        var generator = SeededGenerator(seed: 9)
        let image = RGBImage(
            height: 4, width: 5, pixels: (0..<60).map { _ in UInt8.random(in: 0...255, using: &generator) })
        #expect(RGBImage(signedTensor: image.normalizedTensor(), quantization: .round) == image)
        let blended = RGBImage(height: 1, width: 1, interleavedValues: [12.5, 254.6, -3])
        #expect(blended.pixels == [13, 255, 0])
    }

    @Test func maskTensorsAndCropHelpers() {
        var mask = GrayImage(height: 2, width: 3)
        mask[0, 1] = 1
        mask[1, 2] = 7
        #expect(mask.binaryTensor().scalars == [0, 1, 0, 0, 0, 1])
        #expect(mask.binaryTensor(inverted: true).scalars == [1, 0, 1, 1, 1, 0])
        #expect(mask.binaryTensor().shape == [1, 1, 2, 3])
        #expect(mask.nonZeroBounds?.rows == 0...1 && mask.nonZeroBounds?.columns == 1...2)
        #expect(GrayImage(height: 3, width: 3).nonZeroBounds == nil)
        let image = RGBImage(height: 2, width: 3, red: 10, green: 20, blue: 30)
        let masked = image.masked(by: mask)
        #expect(masked[0, 1, 2] == 30 && masked[0, 0, 0] == 0 && masked[1, 2, 1] == 20)
        #expect(
            image.cropped(rows: 1..<2, columns: 0..<2) == RGBImage(height: 1, width: 2, red: 10, green: 20, blue: 30))
        #expect(throws: FaceMaskError.emptyMask(height: 3, width: 3)) {
            try FaceMask.crop(image: RGBImage(height: 3, width: 3), mask: GrayImage(height: 3, width: 3), size: 4)
        }
    }
}
