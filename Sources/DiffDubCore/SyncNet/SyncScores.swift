/// What `SyncNetInstance.evaluate` reports for a clip: the audio-visual offset and the two
/// numbers lip-sync papers tabulate, LSE-D (``minDistance``) and LSE-C (``confidence``).
///
/// ```
/// d[i][k] = |lip[i] - aud[i + k - vshift] + 1e-6|      k in 0 ... 2 vshift (audio zero outside)
/// m[k]    = mean_i d[i][k]
/// offset  = vshift - argmin_k m[k]                      (frames)
/// minDistance = min_k m[k]                              LSE-D, lower is better
/// confidence  = median_k m[k] - minDistance             LSE-C, higher is better
/// framewise   = medfilt(median_k m[k] - d[i][argmin], 9)
/// ```
/// (SyncNetInstance.py `calc_pdist`, `evaluate`; `torch.nn.functional.pairwise_distance` adds
/// its eps 1e-6 to the difference; `torch.median` of the odd-length `m` is its middle value;
/// `scipy.signal.medfilt` pads with zeros.)
public struct SyncScores: Sendable, Equatable, Codable {
    /// Windows scored (`min(frames, samples / 640) - 5`).
    package let windows: Int
    /// The shifts tried either way, in frames (15).
    package let vshift: Int
    /// The audio-visual offset in frames, `vshift - argmin`.
    public let offset: Int
    /// The mean distance at the best shift (LSE-D).
    public let minDistance: Float
    /// The median of the mean distances over the shifts minus the minimum (LSE-C).
    public let confidence: Float
    /// The confidence of each window at the best shift, median filtered over 9 windows.
    package let framewiseConfidence: [Float]
    /// `[windows][2 vshift + 1]` distances of each lip window to the audio windows
    /// `i - vshift ... i + vshift`.
    package let distances: [[Float]]

    /// The scores of `lipEmbeddings` `[W, E]` against `audioEmbeddings` `[W, E]` (row `i` of each
    /// is window `i`).
    ///
    /// - Precondition: both have the same shape with at least one row; `vshift >= 0`.
    package init(lipEmbeddings: Tensor, audioEmbeddings: Tensor, vshift: Int = 15) {
        precondition(
            lipEmbeddings.rank == 2 && lipEmbeddings.shape == audioEmbeddings.shape && lipEmbeddings.shape[0] > 0,
            "SyncScores: embeddings \(lipEmbeddings.shape) and \(audioEmbeddings.shape) must be the same [W > 0, E]")
        precondition(vshift >= 0, "SyncScores: vshift \(vshift) is negative")
        let (windows, width) = (lipEmbeddings.shape[0], lipEmbeddings.shape[1])
        let lips = lipEmbeddings.scalars
        let audio = audioEmbeddings.scalars
        let shifts = 2 * vshift + 1
        let eps = 1e-6
        var distances = [[Float]](repeating: [Float](repeating: 0, count: shifts), count: windows)
        for i in 0..<windows {
            for k in 0..<shifts {
                let j = i + k - vshift
                var total = 0.0
                for e in 0..<width {
                    let other = (0..<windows).contains(j) ? Double(audio[j * width + e]) : 0
                    let difference = Double(lips[i * width + e]) - other + eps
                    total += difference * difference
                }
                distances[i][k] = Float(total.squareRoot())
            }
        }
        let means = (0..<shifts).map { k in
            Float(distances.reduce(0.0) { $0 + Double($1[k]) } / Double(windows))
        }
        var best = 0
        for k in 1..<shifts where means[k] < means[best] { best = k }
        let median = means.sorted()[(shifts - 1) / 2]
        self.windows = windows
        self.vshift = vshift
        offset = vshift - best
        minDistance = means[best]
        confidence = median - means[best]
        framewiseConfidence = Self.medianFiltered(distances.map { median - $0[best] }, kernel: 9)
        self.distances = distances
    }

    /// `scipy.signal.medfilt(values, kernel)`: the median of each window of `kernel` (odd)
    /// values centred on it, zeros beyond the ends.
    package static func medianFiltered(_ values: [Float], kernel: Int) -> [Float] {
        precondition(kernel >= 1 && kernel % 2 == 1, "medianFiltered: kernel \(kernel) must be odd")
        let half = kernel / 2
        return values.indices.map { i in
            let window = (i - half...i + half).map { values.indices.contains($0) ? values[$0] : 0 }
            return window.sorted()[half]
        }
    }
}
