import DiffDubCore
import DiffDubIO
import Foundation
import IOTestSupport
import TestSupport
import Testing

/// The renderer against the original's outputs in `Tests/Fixtures/stage1` (small random model).
@Suite("Renderer parity with the original (fixtures/stage1)")
struct RendererParityTests {
    /// The manifest's tolerance: max abs error 1e-4.
    static let tolerance: Float = 1e-4

    static let renderer: Result<Renderer, any Error> = Result {
        try Renderer(checkpoint: Fixtures.url("stage1/stage1.ckpt"))
    }

    @Test("configuration inferred from the checkpoint's shapes matches the manifest")
    func configuration() throws {
        let configuration = try Self.renderer.get().configuration
        #expect(configuration.imageSize == 32)
        #expect(configuration.unet.modelChannels == 32)
        #expect(configuration.unet.channelMultipliers == [1, 2, 2])
        #expect(configuration.attentionResolutions == [16])
        #expect(configuration.unet.resBlocksPerLevel == 2)
        #expect(configuration.unet.embedChannels == 64)
        #expect(configuration.unet.styleChannels == 64)
        #expect(configuration.unet.inChannels == 6)
        #expect(configuration.encoder.channelMultipliers == [1, 2, 2, 2])
        #expect(configuration.encoder.attentionLevels == [1])
        #expect(configuration.encoder.outChannels == 64)
    }

    @Test("semantic encoder")
    func encoder() throws {
        let renderer = try Self.renderer.get()
        let latents = try renderer.encode(try Fixtures.tensor("stage1/encoder_in.npy"))
        let expected = try Fixtures.tensor("stage1/encoder_out.npy")
        #expect(maxAbsDifference(latents, expected) < Self.tolerance)
    }

    @Test("UNet eps at t = 950 and t = 0")
    func unet() throws {
        let renderer = try Self.renderer.get()
        let timesteps = try Fixtures.tensor("stage1/unet_t.npy").scalars
        #expect(Set(timesteps) == [950, 0])
        let eps = try renderer.predictNoise(
            try Fixtures.tensor("stage1/unet_x.npy"), timesteps: timesteps,
            latents: try Fixtures.tensor("stage1/unet_cond.npy"))
        let expected = try Fixtures.tensor("stage1/unet_eps.npy")
        #expect(maxAbsDifference(eps, expected) < Self.tolerance)
    }

    @Test("DDIM inpainting render", arguments: [20, 7])
    func render(steps: Int) throws {
        let renderer = try Self.renderer.get()
        let name = "stage1/render_T\(steps)_"
        let timestepMap = try Fixtures.array(name + "timestep_map.npy").int64Values ?? []
        #expect(try renderer.schedule.respaced(steps: steps).timesteps == timestepMap.map { Int($0) })
        let mask = try Renderer.inpaintingMask(try Fixtures.tensor(name + "mask_hwc.npy"), imageSize: 32)
        let out = try renderer.render(
            frames: try Fixtures.tensor(name + "x_start.npy"), reference: try Fixtures.tensor(name + "x_ref.npy"),
            masks: mask, latents: try Fixtures.tensor(name + "cond.npy"), noise: try Fixtures.tensor(name + "xT.npy"),
            steps: steps)
        let expected = try Fixtures.tensor(name + "out.npy")
        #expect(maxAbsDifference(out, expected) < Self.tolerance)
    }

    @Test("the EMA copy is the one bound: the non-EMA copy gives other outputs")
    func emaCopyIsUsed() throws {
        let stateDict = try TorchCheckpoint.stateDict(contentsOf: Fixtures.url("stage1/stage1.ckpt"))
        let nonEMA = try Renderer(stateDict: stateDict, prefix: "model.")
        let latents = try nonEMA.encode(try Fixtures.tensor("stage1/encoder_in.npy"))
        #expect(maxAbsDifference(latents, try Fixtures.tensor("stage1/encoder_out.npy")) > 1e-3)
    }
}
