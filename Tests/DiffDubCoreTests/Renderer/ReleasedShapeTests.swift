import DiffDubCore
import Foundation
import TestSupport
import Testing

/// The one heavy test: the released configuration at 256 x 256 with random weights
/// (~630 GFLOP: one encoder and one UNet call).
@Suite("Released model shapes")
struct ReleasedShapeTests {
    @Test("random weights of the released shapes: one encoder and one UNet call at 256, finite outputs")
    func releasedShapes() throws {
        let renderer = try Renderer(WeightBinder(randomSeed: 42), configuration: .released)
        #expect(renderer.configuration == .released)
        var generator = SeededGenerator(seed: 5)
        let image = Tensor.random([1, 3, 256, 256], using: &generator)
        let latents = try renderer.encode(image)
        #expect(latents.shape == [1, 512])
        #expect(latents.scalars.allSatisfy { $0.isFinite })
        let x = concat([Tensor.random([1, 3, 256, 256], using: &generator), image], axis: 1)
        let eps = try renderer.predictNoise(x, timesteps: [950], latents: latents)
        #expect(eps.shape == [1, 3, 256, 256])
        #expect(eps.scalars.allSatisfy { $0.isFinite })
        // Not degenerate: random weights give an output of order one, not all zeros.
        let meanSquare = eps.scalars.reduce(0) { $0 + Double($1 * $1) } / Double(eps.count)
        #expect(meanSquare > 1e-4 && meanSquare < 1e4)
    }
}
