/// Temporal smoothing of per-frame landmarks, against mask jitter: each frame's points become
/// the mean of the points of the frames within `radius` of it (a centred moving average of
/// `2 * radius + 1` frames, shrunk at the clip's ends and at frames without a face, which
/// break the run and stay `nil`). `radius` 0 leaves the landmarks unchanged.
package enum LandmarkSmoothing {
    /// The smoothed track.
    package static func smoothed(_ track: [FaceLandmarks?], radius: Int) -> [FaceLandmarks?] {
        guard radius > 0 else { return track }
        // A radius past the track's length smooths as much as the length does (and cannot overflow).
        let radius = min(radius, track.count)
        return track.indices.map { i in
            guard track[i] != nil else { return nil }
            var lower = i
            while lower > max(0, i - radius), track[lower - 1] != nil { lower -= 1 }
            var upper = i
            while upper < min(track.count - 1, i + radius), track[upper + 1] != nil { upper += 1 }
            var total = [SIMD2<Float>](repeating: .zero, count: FaceLandmarks.count)
            for j in lower...upper {
                guard let points = track[j]?.points else { continue }
                for k in 0..<FaceLandmarks.count { total[k] += points[k] }
            }
            let n = Float(upper - lower + 1)
            return FaceLandmarks(points: total.map { $0 / n })
        }
    }
}
