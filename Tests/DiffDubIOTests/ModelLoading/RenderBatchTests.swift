import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// The fixture renderer (loaded from `stage1/stage1.ckpt`) rendering batches; the mask layouts
/// are tested in DiffDubCoreTests/Renderer/RenderBatchTests.swift.
@Suite("Rendering in batches")
struct RenderBatchTests {
    @Test("two frames in one batch render as each alone (shared noise, per-frame masks and latents)")
    func batchEquivalence() throws {
        let renderer = try Renderer(checkpoint: Fixtures.url("stage1/stage1.ckpt"))
        var generator = SeededGenerator(seed: 7)
        let frames = Tensor.random([2, 3, 32, 32], using: &generator)
        let reference = Tensor.random([1, 3, 32, 32], using: &generator)
        let noise = Tensor.random([1, 3, 32, 32], using: &generator)
        let latents = Tensor.random([2, 64], using: &generator)
        let masks = Tensor(
            shape: [2, 1, 32, 32],
            scalars: (0..<(2 * 32 * 32)).map { i in (i / 32) % 32 >= 12 + 8 * (i / 1024) ? 0 : 1 })
        let batch = try renderer.render(
            frames: frames, reference: reference, masks: masks, latents: latents, noise: noise, steps: 7)
        #expect(batch.shape == [2, 3, 32, 32])
        for i in 0..<2 {
            let alone = try renderer.render(
                frames: slice(frames, axis: 0, i..<(i + 1)), reference: reference,
                masks: slice(masks, axis: 0, i..<(i + 1)), latents: slice(latents, axis: 0, i..<(i + 1)),
                noise: noise, steps: 7)
            #expect(maxAbsDifference(slice(batch, axis: 0, i..<(i + 1)), alone) <= 1e-6)
        }
        // The two frames differ (different masks and latents), so the test compares something.
        #expect(maxAbsDifference(slice(batch, axis: 0, 0..<1), slice(batch, axis: 0, 1..<2)) > 1e-2)
    }

    @Test("progress is reported once per step; bad shapes and step counts throw")
    func progressAndErrors() throws {
        let renderer = try Renderer(checkpoint: Fixtures.url("stage1/stage1.ckpt"))
        let image = Tensor(zeros: [1, 3, 32, 32])
        var reported: [Int] = []
        _ = try renderer.render(
            frames: image, reference: image, masks: Tensor(shape: [1, 1, 32, 32], repeating: 1),
            latents: Tensor(zeros: [1, 64]), noise: image, steps: 5
        ) { done, total in
            #expect(total == 5)
            reported.append(done)
        }
        #expect(reported == [1, 2, 3, 4, 5])
        #expect(throws: DiffusionError.self) {
            try renderer.render(
                frames: image, reference: image, masks: Tensor(zeros: [1, 1, 32, 32]), latents: Tensor(zeros: [1, 64]),
                noise: image, steps: 37)
        }
        #expect(throws: RendererError.self) {
            try renderer.render(
                frames: image, reference: image, masks: Tensor(zeros: [1, 1, 16, 32]), latents: Tensor(zeros: [1, 64]),
                noise: image, steps: 5)
        }
        #expect(throws: RendererError.self) { try renderer.encode(Tensor(zeros: [1, 3, 64, 64])) }
        #expect(throws: RendererError.self) {
            try renderer.render(
                frames: image, reference: image, masks: Tensor(zeros: [1, 1, 32, 32]), latents: Tensor(zeros: [2, 64]),
                noise: image, steps: 5)
        }
    }
}
