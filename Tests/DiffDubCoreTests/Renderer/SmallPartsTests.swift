import DiffDubCore
import Foundation
import Testing

@Suite("Configuration coding, noise, timestep features")
struct SmallPartsTests {
    @Test("configurations round-trip through JSON with the original's snake_case names")
    func configurationCoding() throws {
        let data = try JSONEncoder().encode(RendererConfiguration.released)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"channel_mult\":[1,1,2,2,4,4]"))
        #expect(text.contains("\"image_size\":256"))
        #expect(try JSONDecoder().decode(RendererConfiguration.self, from: data) == .released)
    }

    @Test("seeded Gaussian noise is reproducible and standard normal")
    func gaussianNoise() {
        let a = GaussianNoise.sample(shape: [3, 101, 101], seed: 11)
        #expect(a.scalars == GaussianNoise.sample(shape: [3, 101, 101], seed: 11).scalars)
        #expect(a.scalars != GaussianNoise.sample(shape: [3, 101, 101], seed: 12).scalars)
        let values = a.scalars.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.03)
    }

    @Test("sinusoidal timestep features: cos first, then sin, frequencies exp(-ln(1e4) i / half)")
    func sinusoid() {
        let features = TimestepEmbedding.sinusoid([0, 950], dim: 8)
        #expect(features.shape == [2, 8])
        #expect(Array(features.scalars[0..<8]) == [1, 1, 1, 1, 0, 0, 0, 0])
        for i in 0..<4 {
            let argument = 950 * exp(-log(10000.0) * Double(i) / 4)
            #expect(abs(Double(features[1, i]) - cos(argument)) < 1e-4)
            #expect(abs(Double(features[1, 4 + i]) - sin(argument)) < 1e-4)
        }
    }
}
