/// Decoded audio: `frameCount x channels` float samples, interleaved (frame-major), nominally
/// in [-1, 1], at `sampleRate` frames per second.
public struct AudioClip: Sendable, Equatable {
    /// Interleaved samples: frame `f` channel `c` is at `f * channels + c`.
    public var samples: [Float]
    /// Channels per frame.
    public let channels: Int
    /// Frames per second.
    public let sampleRate: Int

    /// A clip over interleaved samples.
    ///
    /// - Precondition: `channels > 0`, `sampleRate > 0`, `samples.count` a multiple of `channels`.
    public init(samples: [Float], channels: Int, sampleRate: Int) {
        precondition(channels > 0 && sampleRate > 0, "AudioClip: \(channels) channels at \(sampleRate) Hz")
        precondition(
            samples.count % channels == 0,
            "AudioClip: \(samples.count) samples is not a multiple of \(channels) channels")
        self.samples = samples
        self.channels = channels
        self.sampleRate = sampleRate
    }

    /// Number of frames (samples per channel).
    package var frameCount: Int { samples.count / channels }

    /// Whether every sample is exactly zero (digital silence).
    package var isSilent: Bool { !samples.contains { $0 != 0 } }

    /// Length in seconds.
    package var duration: Double { Double(frameCount) / Double(sampleRate) }

    /// The samples of channel `channel`.
    ///
    /// - Precondition: `0 <= channel < channels`.
    package func channel(_ channel: Int) -> [Float] {
        precondition(channel >= 0 && channel < channels, "AudioClip: channel \(channel) of \(channels)")
        return stride(from: channel, to: samples.count, by: channels).map { samples[$0] }
    }

    /// The clip mixed down to one channel: each frame is the mean of its channels (a mono clip
    /// is returned as it is).
    package func mono() -> AudioClip {
        guard channels > 1 else { return self }
        var mixed = [Float](repeating: 0, count: frameCount)
        let scale = 1 / Float(channels)
        for f in 0..<frameCount {
            var sum: Float = 0
            for c in 0..<channels { sum += samples[f * channels + c] }
            mixed[f] = sum * scale
        }
        return AudioClip(samples: mixed, channels: 1, sampleRate: sampleRate)
    }
}
