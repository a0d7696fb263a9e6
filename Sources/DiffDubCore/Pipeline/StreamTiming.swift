import Foundation

/// The real timing of a decoded video stream: the presentation time of every frame, and how
/// many frames were decoded with errors. Read by `VideoProbe.timing(_:)` (DiffDubIO) and
/// checked against ``ClipTimingLimits``.
package struct StreamTiming: Sendable, Hashable {
    /// Presentation times in seconds, ascending.
    package let timestamps: [Double]
    /// Frames whose decoding reported an error (damaged pictures, concealed or dropped).
    package let damagedFrames: Int

    /// The timing of frames shown at `timestamps` (any order; sorted here), of which
    /// `damagedFrames` were decoded with errors.
    package init(timestamps: [Double], damagedFrames: Int = 0) {
        self.timestamps = timestamps.sorted()
        self.damagedFrames = max(0, damagedFrames)
    }

    /// Decoded frames.
    package var frameCount: Int { timestamps.count }

    /// The longest time between two consecutive frames (0 for fewer than two).
    package var longestGap: Double { gaps.max() ?? 0 }

    /// The time of the frame before the longest gap.
    package var longestGapStart: Double {
        guard let index = gaps.indices.max(by: { gaps[$0] < gaps[$1] }) else { return 0 }
        return timestamps[index]
    }

    /// The typical time between frames: the median gap (0 for fewer than two frames).
    package var typicalGap: Double {
        let sorted = gaps.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    /// From the first frame's time to the end of the last frame (shown for the typical gap).
    package var span: Double {
        guard let first = timestamps.first, let last = timestamps.last else { return 0 }
        return last - first + typicalGap
    }

    /// About how many frames reading the clip at `rate` gives (`span x rate`, at least the
    /// decoded count's worth of one frame each when the clip has a single frame).
    package func framesAt(_ rate: FrameRate) -> Double {
        guard !timestamps.isEmpty else { return 0 }
        return max(1, (span * rate.framesPerSecond).rounded())
    }

    private var gaps: [Double] {
        guard timestamps.count > 1 else { return [] }
        return (1..<timestamps.count).map { timestamps[$0] - timestamps[$0 - 1] }
    }
}
