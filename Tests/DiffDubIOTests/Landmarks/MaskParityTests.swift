import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// The mask fixtures' frames and landmarks read from their folders (`FrameFolder`,
/// `LandmarksFile`); the mask and crop parity itself is in DiffDubCoreTests/Face/MaskParityTests.swift.
@Suite struct MaskParityTests {
    /// The pipeline fixture works at 32x32: every frame of `faces/` gives a mouth mask and a lip
    /// crop at that size from its landmark file.
    @Test func everyFaceFrameHasRegionsAtPipelineSize() throws {
        let frames = try FrameFolder(Fixtures.url("faces/frames"))
        let landmarks = try LandmarksFile.readFolder(Fixtures.url("faces/landmarks"), frames: frames.frameNames)
        for index in 0..<frames.count {
            let frame = try frames.image(at: index).resizedBilinear(height: 32, width: 32)
            let scaled = landmarks[index].scaled(from: 512, to: 32)
            let mask = FaceMask.mouthMask(landmarks: scaled, size: 32)
            let inside = mask.pixels.filter { $0 == 1 }.count
            #expect(inside > 0 && inside < 32 * 32, "frame \(index)")
            #expect(try FaceMask.lipCrop(image: frame, landmarks: scaled, size: 32).shape == [32, 32, 3])
        }
    }
}
