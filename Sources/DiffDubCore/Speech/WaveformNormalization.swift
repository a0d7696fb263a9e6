/// The input normalisation of transformers' `Wav2Vec2FeatureExtractor` (`do_normalize`),
/// which the Hubert checkpoints were trained with: `(x - mean(x)) / sqrt(var(x) + 1e-7)`,
/// with the biased variance, over the whole utterance.
package enum WaveformNormalization {
    /// Epsilon added to the variance (`Wav2Vec2FeatureExtractor.zero_mean_unit_var_norm`).
    package static let epsilon: Double = 1e-7

    /// `samples` shifted to zero mean and scaled to unit variance (statistics accumulated
    /// in `Double`). An empty input is returned as is.
    package static func zeroMeanUnitVariance(_ samples: [Float]) -> [Float] {
        guard !samples.isEmpty else { return samples }
        let count = Double(samples.count)
        let mean = samples.reduce(0.0) { $0 + Double($1) } / count
        let variance = samples.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / count
        let scale = 1 / (variance + epsilon).squareRoot()
        return samples.map { Float((Double($0) - mean) * scale) }
    }
}
