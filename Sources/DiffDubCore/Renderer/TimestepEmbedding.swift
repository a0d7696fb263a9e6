import Foundation

/// The original's `TimeStyleSeperateEmbed.time_embed`: sinusoidal features of the timestep
/// through `Linear(ch -> embed)`, SiLU, `Linear(embed -> embed)`.
///
/// Keys `time_embed.0` and `time_embed.2` under the binder it is given (`time_embed`).
/// Sinusoid (dim = `channels`, half = dim / 2, computed in `Float` as the original):
/// `freqs[i] = exp(-ln(10000) * i / half)`, `emb = [cos(t freqs), sin(t freqs)]`, cos first.
package struct TimestepEmbedding: Sendable {
    /// `time_embed.0`.
    package let first: Linear
    /// `time_embed.2`.
    package let second: Linear
    /// Width of the sinusoidal features (the UNet's model channels).
    package let channels: Int

    /// Binds the two linear layers: `channels -> embedChannels -> embedChannels`.
    package init(_ weights: WeightBinder, channels: Int, embedChannels: Int) throws {
        first = try Linear(weights.scoped("time_embed.0"), in: channels, out: embedChannels)
        second = try Linear(weights.scoped("time_embed.2"), in: embedChannels, out: embedChannels)
        self.channels = channels
    }

    /// The sinusoidal features `[N, dim]` of `timesteps` (zero-padded when dim is odd).
    package static func sinusoid(_ timesteps: [Float], dim: Int, maxPeriod: Float = 10000) -> Tensor {
        let half = dim / 2
        let logPeriod = Float(-log(Double(maxPeriod)))
        let freqs = (0..<half).map { i in expf(logPeriod * Float(i) / Float(half)) }
        var scalars: [Float] = []
        scalars.reserveCapacity(timesteps.count * dim)
        for t in timesteps {
            let args = freqs.map { t * $0 }
            scalars += args.map { cosf($0) }
            scalars += args.map { sinf($0) }
            if dim % 2 == 1 { scalars.append(0) }
        }
        return Tensor(shape: [timesteps.count, dim], scalars: scalars)
    }

    /// The embedding `[N, embed]` of `timesteps` (original timesteps, as floats).
    package func callAsFunction(_ timesteps: [Float]) -> Tensor {
        second(silu(first(Self.sinusoid(timesteps, dim: channels))))
    }
}
