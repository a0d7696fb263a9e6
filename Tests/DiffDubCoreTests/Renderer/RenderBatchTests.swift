import DiffDubCore
import Foundation
import TestSupport
import Testing

/// (Rendering batches with the fixture renderer, loaded from its checkpoint, is tested in
/// DiffDubIOTests/ModelLoading/RenderBatchTests.swift.)
@Suite("Rendering in batches")
struct RenderBatchTests {
    @Test("mask layouts: [S,S], HWC and CHW give the same tensor")
    func maskLayouts() throws {
        var generator = SeededGenerator(seed: 9)
        let chw = Tensor.random([2, 3, 8, 8], using: &generator)
        let hwc = permuted(chw, [0, 2, 3, 1])
        #expect(try Renderer.inpaintingMask(hwc, imageSize: 8).scalars == chw.scalars)
        #expect(try Renderer.inpaintingMask(chw, imageSize: 8).shape == [2, 3, 8, 8])
        #expect(try Renderer.inpaintingMask(Tensor(zeros: [8, 8]), imageSize: 8).shape == [1, 1, 8, 8])
        #expect(throws: RendererError.self) { try Renderer.inpaintingMask(Tensor(zeros: [8, 4]), imageSize: 8) }
    }
}
