import Foundation

/// How long a dubbed output runs.
public enum TimelineFit: String, Sendable, Codable, CaseIterable {
    /// As long as the speech: a video shorter than the speech runs forward, then backward,
    /// then forward again (ping-pong) as often as needed; a longer one is cut to the speech.
    case speech
    /// The original's `min(speech, video)`: the output ends with whichever ends first.
    case shortest
}

/// The rate of a dubbed output's frames.
package enum OutputFrameRate: Sendable, Hashable, Codable {
    /// 25 frames per second, one lip latent per frame (the original's rate); the source must be
    /// read resampled to 25 fps.
    case model
    /// The source's own rate: every source frame is dubbed at its own time, the lip latents
    /// interpolated to it; the source must be read at this rate without resampling.
    case source(FrameRate)

    /// The rate as a fraction.
    package var rate: FrameRate {
        switch self {
        case .model: .model
        case .source(let rate): rate
        }
    }
}

/// The output's frame `i` -> (source frame, lip latent position) map of a dubbing run.
///
/// With `N` lip latents (25 per second: the speech lasts `N / 25` s), `n` source frames (read
/// at the output rate `r`; `nil` for a still image) and `F` output frames:
/// - speech frames `S = max(1, floor(N * r / 25))` (the frames whose whole duration falls
///   within the speech; at least one so that a very short speech still gives a frame);
/// - `F = S` with ``TimelineFit/speech`` or for a still image, `F = min(n, S)` with
///   ``TimelineFit/shortest``;
/// - source frame of output `i`: `0` for a still image, `i` with `shortest`, and with `speech`
///   the ping-pong index `0, 1, ..., n-1, n-2, ..., 1, 0, 1, ...` (period `2 (n - 1)`; always 0
///   when `n = 1`), which is `i` while `i < n`;
/// - latent position of output `i`: `t = i * 25 / r` (exact fraction), interpolated linearly
///   between rows `floor(t)` and `floor(t) + 1`, both clamped to `N - 1`. At the model rate
///   `t = i` exactly.
///
/// Examples: 125 frames at 25 fps and 175 latents (7 s) give 175 frames (`speech`) or 125
/// (`shortest`); 150 frames at 30 fps and 125 latents (5 s) at ``OutputFrameRate/source(_:)``
/// give 150 frames in both fits.
package struct OutputTimeline: Sendable, Hashable {
    /// Lip latents (`N`, 25 per second of speech).
    package let latentCount: Int
    /// Source frames at the output rate (`n`), `nil` for a still image.
    package let sourceFrameCount: Int?
    /// How the length is chosen.
    package let fit: TimelineFit
    /// The rate of the output frames (25/1 or the source's).
    package let frameRate: FrameRate
    /// Output frames (`F`).
    package let frameCount: Int

    /// The timeline for `latentCount` latents and a source of `sourceFrameCount` frames read
    /// at `frameRate`'s rate (`nil` for a still image).
    ///
    /// - Throws: ``TimelineError/noSpeech`` for no latents, ``TimelineError/noFrames`` for a
    ///   source with no frames.
    package init(
        latentCount: Int, sourceFrameCount: Int?, fit: TimelineFit = .speech, frameRate: OutputFrameRate = .model
    ) throws {
        guard latentCount >= 1 else { throw TimelineError.noSpeech }
        if let n = sourceFrameCount, n < 1 { throw TimelineError.noFrames }
        let rate = frameRate.rate
        let speechFrames = max(1, Self.framesCovered(latentCount: latentCount, rate: rate))
        self.latentCount = latentCount
        self.sourceFrameCount = sourceFrameCount
        self.fit = fit
        self.frameRate = rate
        if let n = sourceFrameCount, fit == .shortest {
            frameCount = min(n, speechFrames)
        } else {
            frameCount = speechFrames
        }
    }

    /// `floor(N * r / 25)`: output frames at `rate` that fit in `N` latents' time.
    static func framesCovered(latentCount: Int, rate: FrameRate) -> Int {
        let (product, overflow) = latentCount.multipliedReportingOverflow(by: rate.numerator)
        guard !overflow else { return Int(Double(latentCount) * rate.framesPerSecond / 25) }
        return product / (25 * rate.denominator)
    }

    /// Output duration in seconds (`F / r`).
    package var duration: Double { Double(frameCount) / frameRate.framesPerSecond }

    /// Whether some output frames show source frames again (the source is shorter than the
    /// output and runs backward at its end).
    package var revisitsSourceFrames: Bool {
        guard let n = sourceFrameCount else { return false }
        return frameCount > n
    }

    /// Whether the speech is cut (``TimelineFit/shortest`` with a source shorter than the
    /// speech).
    package var cutsSpeech: Bool {
        guard let n = sourceFrameCount else { return false }
        return fit == .shortest && n < max(1, Self.framesCovered(latentCount: latentCount, rate: frameRate))
    }

    /// The source frame shown in output frame `index` (`0 ..< frameCount`).
    package func sourceFrame(forOutput index: Int) -> Int {
        precondition(index >= 0, "OutputTimeline: output frame \(index)")
        guard let n = sourceFrameCount else { return 0 }
        return fit == .shortest ? min(index, n - 1) : Self.pingPong(index, count: n)
    }

    /// The ping-pong index of step `index` over `count` items: `0, 1, ..., count-1, count-2,
    /// ..., 1, 0, 1, ...`; 0 for a single item.
    package static func pingPong(_ index: Int, count: Int) -> Int {
        precondition(index >= 0 && count >= 1, "pingPong(\(index), count: \(count))")
        guard count > 1 else { return 0 }
        let phase = index % (2 * (count - 1))
        return phase < count ? phase : 2 * (count - 1) - phase
    }

    /// Where output frame `index`'s lip latent lies: rows `lower` and `upper` (clamped to the
    /// last row) and the weight of `upper`.
    package func latentPosition(forOutput index: Int) -> LatentPosition {
        precondition(index >= 0, "OutputTimeline: output frame \(index)")
        let last = latentCount - 1
        let scaled = index.multipliedReportingOverflow(by: 25 * frameRate.denominator)
        let lower: Int
        let weight: Float
        if scaled.overflow {
            let t = Double(index) * 25 / frameRate.framesPerSecond
            lower = Int(t)
            weight = Float(t - Double(lower))
        } else {
            lower = scaled.partialValue / frameRate.numerator
            weight = Float(Double(scaled.partialValue % frameRate.numerator) / Double(frameRate.numerator))
        }
        guard lower < last else { return LatentPosition(lower: last, upper: last, weight: 0) }
        return weight == 0
            ? LatentPosition(lower: lower, upper: lower, weight: 0)
            : LatentPosition(lower: lower, upper: lower + 1, weight: weight)
    }

    /// The lip latents of output frames `frames` from the run's `latents` `[N, D]`:
    /// `[frames.count, D]`, each row `(1 - w) * latents[lower] + w * latents[upper]`
    /// (``latentPosition(forOutput:)``).
    ///
    /// - Precondition: `latents` is `[latentCount, D]`.
    package func latents(_ latents: Tensor, forOutputs frames: Range<Int>) -> Tensor {
        precondition(
            latents.rank == 2 && latents.shape[0] == latentCount,
            "OutputTimeline: latents \(latents.shape) for a timeline of \(latentCount)")
        let width = latents.shape[1]
        var rows = [Float](repeating: 0, count: frames.count * width)
        latents.withUnsafeBufferPointer { source in
            for (k, index) in frames.enumerated() {
                let p = latentPosition(forOutput: index)
                let (a, b) = (p.lower * width, p.upper * width)
                for j in 0..<width {
                    rows[k * width + j] = p.weight == 0 ? source[a + j] : (1 - p.weight) * source[a + j] + p.weight * source[b + j]
                }
            }
        }
        return Tensor(shape: [frames.count, width], scalars: rows)
    }

    /// The lip latent of output frame `index`: `[1, D]` (see ``latents(_:forOutputs:)``).
    package func latent(_ latents: Tensor, forOutput index: Int) -> Tensor {
        self.latents(latents, forOutputs: index..<(index + 1))
    }
}

/// Where an output frame's lip latent lies between two latent rows.
package struct LatentPosition: Sendable, Hashable {
    /// The row at or before the frame's time.
    package var lower: Int
    /// The row after it (equal to `lower` at an exact row or past the last row).
    package var upper: Int
    /// Weight of `upper`, in `[0, 1)`.
    package var weight: Float

    /// A position between `lower` and `upper`.
    package init(lower: Int, upper: Int, weight: Float) {
        self.lower = lower
        self.upper = upper
        self.weight = weight
    }
}

/// An output timeline cannot be made.
package enum TimelineError: Error, LocalizedError, CustomStringConvertible, Equatable {
    /// The speech gives no lip latents.
    case noSpeech
    /// The source has no frames.
    case noFrames
    /// The output would have `count` frames, more than ``ClipTimingLimits/maximumFrames``.
    case tooManyFrames(count: Int, limit: Int)
    /// A clip's timing stretches past a ``ClipTimingLimits`` bound (`reason` says which).
    case clipTooStretched(input: String, reason: String)

    /// One line saying what is wrong.
    package var description: String {
        switch self {
        case .noSpeech: "the speech features give no lip latents (empty or too short speech)"
        case .noFrames: "the input has no frames"
        case .tooManyFrames(let count, let limit):
            "the output would have \(count) frames, more than the \(limit) allowed (ClipTimingLimits.maximumFrames)"
        case .clipTooStretched(let input, let reason): "\(input): \(reason)"
        }
    }

    /// Same as ``description``.
    package var errorDescription: String? { description }
}
