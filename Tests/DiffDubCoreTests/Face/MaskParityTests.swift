import DiffDubCore
import Foundation
import TestSupport
import Testing

/// The original's `get_masked_image` on the fixture frames: masks and crops must match exactly.
@Suite struct MaskParityTests {
    static let cases: [String] = {
        let manifest = (try? Fixtures.json("mask/manifest.json")) ?? [:]
        return manifest["cases"] as? [String] ?? []
    }()

    /// `f0_s256_l21` -> ("f0", 256, 21).
    static func parse(_ name: String) throws -> (frame: String, size: Int, landmark: Int) {
        let parts = name.split(separator: "_")
        guard parts.count == 3, let size = Int(parts[1].dropFirst()), let landmark = Int(parts[2].dropFirst())
        else { throw FixtureError(description: "mask case \(name): not fK_sS_lL") }
        return (String(parts[0]), size, landmark)
    }

    @Test func manifestListsEveryCase() {
        #expect(Self.cases.count == 16)
    }

    @Test(arguments: cases) func maskMatchesExactly(name: String) throws {
        let (frame, size, landmark) = try Self.parse(name)
        let landmarks = try Fixtures.landmarks("mask/\(frame)_s\(size)_landmarks.npy")
        let expected = try Fixtures.grayImage("mask/\(name)_mask_uint8.npy")
        let mask = FaceMask.mask(landmarks: landmarks, rowLandmark: landmark, height: size, width: size)
        #expect(mask.shape == expected.shape)
        #expect(differingByteCount(mask.pixels, expected.pixels) == 0, "\(name)")
        if landmark == FaceMask.mouthRowLandmark {
            #expect(FaceMask.mouthMask(landmarks: landmarks, size: size) == mask)
        }
    }

    @Test(arguments: cases) func cropMatchesExactly(name: String) throws {
        let (frame, size, landmark) = try Self.parse(name)
        let landmarks = try Fixtures.landmarks("mask/\(frame)_s\(size)_landmarks.npy")
        let resized = try Fixtures.rgbImage("mask/\(frame)_s\(size)_resized_uint8.npy")
        let expected = try Fixtures.rgbImage("mask/\(name)_crop_uint8.npy")
        let crop = try FaceMask.crop(image: resized, landmarks: landmarks, rowLandmark: landmark, size: size)
        #expect(crop.shape == expected.shape)
        #expect(differingByteCount(crop.pixels, expected.pixels) == 0, "\(name)")
        if landmark == FaceMask.lipReferenceRowLandmark {
            #expect(try FaceMask.lipCrop(image: resized, landmarks: landmarks, size: size) == crop)
        }
    }

    /// The whole chain from the 512x512 frame: resize, then crop (the resize may differ by 1
    /// from OpenCV, which would show here as a crop difference).
    @Test(arguments: ["f0", "f1", "f2", "f3"]) func cropFromFullFrame(frame: String) throws {
        let original = try Fixtures.rgbImage("mask/\(frame)_frame_uint8.npy")
        for size in [256, 64] {
            let landmarks = try Fixtures.landmarks("mask/\(frame)_s\(size)_landmarks.npy")
            let expected = try Fixtures.rgbImage("mask/\(frame)_s\(size)_l21_crop_uint8.npy")
            let resized = original.resizedBilinear(height: size, width: size)
            let crop = try FaceMask.lipCrop(image: resized, landmarks: landmarks, size: size)
            #expect(maxByteDifference(crop.pixels, expected.pixels) <= 1, "\(frame) at \(size)")
        }
    }

    /// The fixture landmarks at size S are the 512-pixel landmarks of `faces/` scaled by S/512.
    @Test func fixtureLandmarksAreScaledFaceLandmarks() throws {
        for (k, file) in ["synth_1", "synth_2", "synth_3", "synth_4"].enumerated() {
            let text = try String(contentsOf: Fixtures.url("faces/landmarks/\(file).txt"), encoding: .utf8)
            let values = text.split(whereSeparator: \.isWhitespace).compactMap { Float($0) }
            let full = FaceLandmarks(interleaved: values)
            for size in [256, 64] {
                let expected = try Fixtures.landmarks("mask/f\(k)_s\(size)_landmarks.npy")
                let scaled = full.scaled(from: 512, to: size)
                let worst = zip(scaled.interleaved, expected.interleaved).map { abs($0 - $1) }.max() ?? .infinity
                #expect(worst <= 1e-4, "f\(k) at \(size)")
            }
        }
    }
}
