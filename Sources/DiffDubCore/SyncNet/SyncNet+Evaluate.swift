import Foundation

extension SyncNet {
    /// The audio rate SyncNet's MFCCs are laid out for.
    package static let sampleRate = 16000
    /// Audio samples per video frame at 25 fps (640).
    package static let samplesPerFrame = 640
    /// Windows whose lip embeddings are computed together (frames `window ..< window + 5` of a
    /// run of `batch + 4` frames).
    package static let windowBatch = 16

    /// Float samples in -1...1 on the int16 scale syncnet_python computes MFCCs on
    /// (`scipy.io.wavfile` reads a 16-bit WAV as int16): `round(x * 32768)`, clipped to
    /// `-32768 ... 32767`, as ffmpeg's `pcm_s16le` encoder rounds (ties to even).
    package static func pcm16Scaled(_ samples: [Float]) -> [Float] {
        samples.map { min(32767, max(-32768, ($0 * 32768).rounded(.toNearestOrEven))) }
    }

    /// The number of windows `SyncNetInstance.evaluate` scores: `min(frames, samples / 640) - 5`.
    package static func windowCount(frames: Int, samples: Int) -> Int {
        min(frames, samples / samplesPerFrame) - 5
    }

    /// Scores 25 fps face crops against 16 kHz speech as `SyncNetInstance.evaluate` does (with
    /// the frames taken as they are, not through JPEG files): `SyncScorer` fed the array.
    ///
    /// - Parameters:
    ///   - frames: 224 x 224 face crops (RGB; SyncNet reads them as BGR, as OpenCV loads them).
    ///   - samples: mono 16 kHz audio on the int16 scale (`pcm16Scaled(_:)`).
    ///   - vshift: shifts tried either way, in frames.
    /// - Throws: `SyncNetError` when there is not one window to score or a frame is not
    ///   224 x 224.
    public func evaluate(frames: [RGBImage], samples: [Float], vshift: Int = 15) throws -> SyncScores {
        var scorer = SyncScorer(self, sampleCount: samples.count, vshift: vshift)
        for frame in frames { scorer.append(frame) }
        return try scorer.scores(samples: samples)
    }

    /// Lip embeddings `[windows, 1024]` of 224 x 224 frames (window `t`: frames `t ..< t + 5`),
    /// computed ``windowBatch`` windows at a time, from frames all in memory: the batches
    /// ``SyncScorer`` computes while the frames stream in (the reference its tests compare with).
    ///
    /// - Precondition: `frames.count >= windows + 4`, every frame 224 x 224.
    package func lipEmbeddings(frames: [RGBImage], windows: Int) -> Tensor {
        precondition(windows >= 1 && frames.count >= windows + 4, "SyncNet: \(windows) windows of \(frames.count) frames")
        var parts: [Tensor] = []
        var first = 0
        while first < windows {
            let count = min(Self.windowBatch, windows - first)
            parts.append(lipEmbeddings(frameRun: Self.bgrVolume(frames[first..<(first + count + 4)])))
            first += count
        }
        return concat(parts, axis: 0)
    }

    /// Audio embeddings `[windows, 1024]` of 16 kHz samples on the int16 scale (window `i`:
    /// MFCC frames `4 i ..< 4 i + 20`).
    ///
    /// - Precondition: the samples give at least `4 windows + 16` MFCC frames.
    package func audioEmbeddings(samples: [Float], windows: Int) -> Tensor {
        let mfcc = MFCC(sampleRate: Self.sampleRate)
        let frames = mfcc.frameCount(samples: samples.count)
        let span = SyncNetAudioStack.frames
        precondition(windows >= 1 && 4 * (windows - 1) + span <= frames, "SyncNet: \(windows) windows of \(frames) MFCC frames")
        let coefficients = mfcc.coefficients(samples)
        let rows = SyncNetAudioStack.coefficients
        var parts: [Tensor] = []
        var first = 0
        while first < windows {
            let count = min(4 * Self.windowBatch, windows - first)
            var batch = [Float](repeating: 0, count: count * rows * span)
            for w in 0..<count {
                let start = 4 * (first + w)
                for r in 0..<rows {
                    for c in 0..<span { batch[(w * rows + r) * span + c] = coefficients[r * frames + start + c] }
                }
            }
            parts.append(audioEmbeddings(mfccWindows: Tensor(shape: [count, 1, rows, span], scalars: batch)))
            first += count
        }
        return concat(parts, axis: 0)
    }

    /// `[1, 3, D, 224, 224]` BGR planes (0...255) of `D` RGB frames.
    static func bgrVolume(_ frames: ArraySlice<RGBImage>) -> Tensor {
        let depth = frames.count
        let side = SyncNetLipStack.side
        let plane = side * side
        var values = [Float](repeating: 0, count: 3 * depth * plane)
        for (t, frame) in frames.enumerated() {
            frame.pixels.withUnsafeBufferPointer { pixels in
                for p in 0..<plane {
                    // BGR: channel 0 is blue (RGB channel 2).
                    values[(0 * depth + t) * plane + p] = Float(pixels[3 * p + 2])
                    values[(1 * depth + t) * plane + p] = Float(pixels[3 * p + 1])
                    values[(2 * depth + t) * plane + p] = Float(pixels[3 * p])
                }
            }
        }
        return Tensor(shape: [1, 3, depth, side, side], scalars: values)
    }
}
