import DiffDubCore
import Foundation

extension Fixtures {
    /// A uint8 `[H, W, 3]` `.npy` fixture as an image.
    package static func rgbImage(_ relativePath: String) throws -> RGBImage {
        let array = try fixtureArray(relativePath)
        guard let bytes = array.uint8Values, array.shape.count == 3, array.shape[2] == 3 else {
            throw FixtureError(
                description: "\(relativePath): \(array.shape), expected uint8 [H, W, 3]")
        }
        return RGBImage(height: array.shape[0], width: array.shape[1], pixels: bytes)
    }

    /// A uint8 `[H, W]` `.npy` fixture as a single-channel image.
    package static func grayImage(_ relativePath: String) throws -> GrayImage {
        let array = try fixtureArray(relativePath)
        guard let bytes = array.uint8Values, array.shape.count == 2 else {
            throw FixtureError(
                description: "\(relativePath): \(array.shape), expected uint8 [H, W]")
        }
        return GrayImage(height: array.shape[0], width: array.shape[1], pixels: bytes)
    }

    /// A float `[68, 2]` `.npy` fixture as landmarks.
    package static func landmarks(_ relativePath: String) throws -> FaceLandmarks {
        let tensor = try tensor(relativePath)
        guard tensor.shape == [FaceLandmarks.count, 2] else {
            throw FixtureError(description: "\(relativePath): shape \(tensor.shape), expected [68, 2]")
        }
        return FaceLandmarks(interleaved: tensor.scalars)
    }
}

/// Largest absolute difference between two byte arrays (`Int.max` if their sizes differ).
package func maxByteDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
    guard a.count == b.count else { return .max }
    var worst = 0
    for i in 0..<a.count { worst = max(worst, abs(Int(a[i]) - Int(b[i]))) }
    return worst
}

/// Number of positions where two byte arrays differ (`Int.max` if their sizes differ).
package func differingByteCount(_ a: [UInt8], _ b: [UInt8]) -> Int {
    guard a.count == b.count else { return .max }
    return zip(a, b).reduce(0) { $0 + ($1.0 != $1.1 ? 1 : 0) }
}
