/// Smoothing of a per-frame quantity (a crop's centre or size) within one shot.
package enum TrackSmoothing {
    /// A centred local straight-line fit: value `i` becomes the least-squares line through the
    /// samples at frames `i - radius ... i + radius` (those that are not `nil`), evaluated at
    /// `i`; `nil` where the window holds no sample. With a symmetric window this is the moving
    /// average; near the ends and gaps the line keeps a steady motion (a pan, a slow zoom)
    /// exact instead of pulling it towards the inside as an average would. `radius` 0 returns
    /// the samples.
    package static func locallyLinear(_ values: [Double?], radius: Int) -> [Double?] {
        guard radius > 0 else { return values }
        return values.indices.map { i in
            var (n, sumT, sumV) = (0.0, 0.0, 0.0)
            let window = max(0, i - radius)...min(values.count - 1, i + radius)
            for j in window {
                guard let v = values[j] else { continue }
                n += 1
                sumT += Double(j)
                sumV += v
            }
            guard n > 0 else { return nil }
            let (meanT, meanV) = (sumT / n, sumV / n)
            var (covariance, variance) = (0.0, 0.0)
            for j in window {
                guard let v = values[j] else { continue }
                covariance += (Double(j) - meanT) * (v - meanV)
                variance += (Double(j) - meanT) * (Double(j) - meanT)
            }
            guard variance > 0 else { return meanV }
            return meanV + covariance / variance * (Double(i) - meanT)
        }
    }
}
