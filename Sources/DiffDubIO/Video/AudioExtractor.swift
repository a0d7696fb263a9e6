import Foundation

/// Audio from any media file ffmpeg reads (a video's soundtrack, MP3, M4A, ...), converted.
package enum AudioExtractor {
    /// The first audio stream of `url` decoded to float samples at `sampleRate` with
    /// `channels` channels (`ffmpeg -vn -ac C -ar R -f f32le -`). Hubert wants 16 kHz mono,
    /// the default.
    ///
    /// - Throws: ``VideoError/decodeFailed(path:reason:)`` (no audio stream, unreadable file),
    ///   ``VideoError/toolNotFound(tool:)``.
    package static func decode(_ url: URL, sampleRate: Int = 16000, channels: Int = 1) throws -> AudioClip {
        precondition(sampleRate > 0 && channels > 0, "AudioExtractor: \(channels) channels at \(sampleRate) Hz")
        let data = try ExternalTool.run(
            "ffmpeg",
            [
                "-v", "error", "-nostdin", "-i", url.path, "-map", "0:a:0", "-vn", "-ac", "\(channels)", "-ar",
                "\(sampleRate)", "-f", "f32le", "-",
            ]
        ) { VideoError.decodeFailed(path: url.path, reason: $0) }
        let count = data.count / 4 / channels * channels
        guard count > 0 else { throw VideoError.decodeFailed(path: url.path, reason: "no audio samples") }
        var samples = [Float](repeating: 0, count: count)
        samples.withUnsafeMutableBytes { out in
            data.withUnsafeBytes { raw in
                for i in 0..<count {
                    let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
                    out.storeBytes(of: Float(bitPattern: bits), toByteOffset: 4 * i, as: Float.self)
                }
            }
        }
        return AudioClip(samples: samples, channels: channels, sampleRate: sampleRate)
    }

    /// Writes the first audio stream of `source` as a 16-bit PCM WAV at `destination`
    /// (resampled to `sampleRate`, `channels` channels), atomically.
    package static func extractWAV(
        from source: URL, to destination: URL, sampleRate: Int = 16000, channels: Int = 1
    ) throws {
        let temporary = AtomicFile.temporaryURL(for: destination)
        do {
            _ = try ExternalTool.run(
                "ffmpeg",
                [
                    "-v", "error", "-nostdin", "-y", "-i", source.path, "-map", "0:a:0", "-vn", "-ac", "\(channels)",
                    "-ar", "\(sampleRate)", "-c:a", "pcm_s16le", "-f", "wav", temporary.path,
                ]
            ) { VideoError.decodeFailed(path: source.path, reason: $0) }
            try AtomicFile.commit(temporary, to: destination)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
