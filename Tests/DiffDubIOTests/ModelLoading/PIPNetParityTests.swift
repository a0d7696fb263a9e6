import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// PIPNet ResNet-18 (random weights in the real layout, float16) against torchlm
/// (`Tests/Fixtures/pipnet`).
@Suite("PIPNet parity")
struct PIPNetParityTests {
    static let landmarker = Result { try PIPNetLandmarker(checkpoint: Fixtures.url("pipnet/pipnet.pth")) }

    static func landmarkTensor(_ landmarks: [FaceLandmarks]) -> Tensor {
        Tensor(shape: [landmarks.count, 68, 2], scalars: landmarks.flatMap(\.interleaved))
    }

    @Test("input and the five heads within 1e-3")
    func heads() throws {
        let model = try Self.landmarker.get()
        let crop = try Fixtures.rgbImage("pipnet/crop0_rgb_uint8.npy")
        let input = model.networkInput(crop)
        #expect(maxAbsDifference(input, try Fixtures.tensor("pipnet/crop0_net_input.npy")) < 1e-5)
        let heads = model.network(input)
        #expect(maxAbsDifference(heads.cls, try Fixtures.tensor("pipnet/crop0_cls.npy")) < 1e-3)
        #expect(maxAbsDifference(heads.x, try Fixtures.tensor("pipnet/crop0_x.npy")) < 1e-3)
        #expect(maxAbsDifference(heads.y, try Fixtures.tensor("pipnet/crop0_y.npy")) < 1e-3)
        #expect(maxAbsDifference(heads.neighborX, try Fixtures.tensor("pipnet/crop0_nb_x.npy")) < 1e-3)
        #expect(maxAbsDifference(heads.neighborY, try Fixtures.tensor("pipnet/crop0_nb_y.npy")) < 1e-3)
    }

    @Test("landmarks within 0.05 px", arguments: [0, 1, 2])
    func landmarks(case index: Int) throws {
        let model = try Self.landmarker.get()
        let crop = try Fixtures.rgbImage("pipnet/crop\(index)_rgb_uint8.npy")
        let found = model.landmarks(in: crop)
        let expected = try Fixtures.landmarks("pipnet/crop\(index)_landmarks.npy")
        #expect(maxAbsDifference(Self.landmarkTensor([found]), Self.landmarkTensor([expected])) < 0.05)
    }

    @Test("the whole runtime: boxes and landmarks for one and two faces", arguments: [0, 1])
    func runtime(case index: Int) throws {
        let analyzer = FaceAnalyzer(detector: try DetectorParityTests.detector.get(), landmarker: try Self.landmarker.get())
        let image = try DetectorParityTests.bgrImage("pipnet/runtime\(index)_bgr_uint8.npy")
        let faces = analyzer.faces(in: image)
        let boxes = try Fixtures.tensor("pipnet/runtime\(index)_boxes.npy")
        let landmarks = try Fixtures.tensor("pipnet/runtime\(index)_landmarks.npy")
        try #require(faces.count == boxes.count / 5)
        #expect(faces.count == index + 1)
        let b = boxes.scalars
        for (i, face) in faces.enumerated() {
            let corners = [face.box.x1, face.box.y1, face.box.x2, face.box.y2]
            for k in 0..<4 { #expect(abs(corners[k] - b[5 * i + k]) <= 0.5) }
        }
        #expect(maxAbsDifference(Self.landmarkTensor(faces.map(\.landmarks)), landmarks) < 0.05)
    }
}
