import Foundation

/// Mel-frequency cepstral coefficients as `python_speech_features.mfcc` computes them with its
/// defaults, the audio features SyncNet was trained on (syncnet_python's `SyncNetInstance`
/// passes the 16 kHz WAV's int16 samples, not normalised).
///
/// ```
/// x = [s[0]] + [s[i] - 0.97 s[i-1]]                     // preemphasis
/// frames of 400 samples every 160, the last padded with zeros:
///     count = 1 + ceil((len - 400) / 160)  (1 when len <= 400)
/// P = |rfft(frame, 512)|^2 / 512                        // no window function
/// energy = sum(P)                  (eps where 0)
/// fb = P . melFilters^T            (26 triangles on FFT bins, eps where 0)
/// c = dct2_ortho(log(fb))[:13] * (1 + 11 sin(pi n / 22))   // lifter 22
/// c[0] = log(energy)
/// ```
/// (python_speech_features/base.py `mfcc`, `fbank`, `get_filterbanks`, `lifter`;
/// sigproc.py `preemphasis`, `framesig`, `powspec`). Everything is computed in `Double`, as
/// NumPy does.
package struct MFCC: Sendable {
    /// Samples per second the windows and filters are laid out for.
    package let sampleRate: Int
    /// Samples per analysis window (25 ms).
    package let windowLength: Int
    /// Samples between window starts (10 ms).
    package let hop: Int
    /// FFT size (the smallest power of two holding a window).
    package let fftSize: Int
    /// Mel filters.
    package let filterCount: Int
    /// Cepstra kept.
    package let cepstrumCount: Int
    /// Lifter coefficient (0 for none).
    package let lifter: Int
    /// Preemphasis coefficient.
    package let preemphasis: Double

    /// `[filter][bin]` triangle weights over the `fftSize / 2 + 1` bins.
    private let filters: [[Double]]
    /// `[cepstrum][filter]` orthonormal DCT-II rows times the lifter.
    private let cepstrumRows: [[Double]]
    private let fft: RealFFT

    /// The features of `python_speech_features.mfcc(signal, sampleRate)` with its defaults
    /// (25 ms windows every 10 ms, 26 filters from 0 Hz to Nyquist, 13 cepstra, lifter 22,
    /// preemphasis 0.97, log energy as the first coefficient).
    package init(sampleRate: Int = 16000) {
        precondition(sampleRate >= 400, "MFCC: sample rate \(sampleRate) Hz is too low")
        self.sampleRate = sampleRate
        // round_half_up(0.025 * rate), round_half_up(0.01 * rate).
        windowLength = Int((0.025 * Double(sampleRate)).rounded(.toNearestOrAwayFromZero))
        hop = Int((0.01 * Double(sampleRate)).rounded(.toNearestOrAwayFromZero))
        var size = 1
        while Double(size) < 0.025 * Double(sampleRate) { size *= 2 }
        fftSize = size
        filterCount = 26
        cepstrumCount = 13
        lifter = 22
        preemphasis = 0.97
        filters = Self.melFilters(count: filterCount, fftSize: size, sampleRate: sampleRate)
        cepstrumRows = Self.dctRows(cepstra: cepstrumCount, filters: filterCount, lifter: lifter)
        fft = RealFFT(size: size)
    }

    /// The number of feature frames of `sampleCount` samples.
    package func frameCount(samples sampleCount: Int) -> Int {
        sampleCount <= windowLength ? 1 : 1 + (sampleCount - windowLength + hop - 1) / hop
    }

    /// The coefficients of `samples` (on the scale they are given: int16 values for SyncNet) as
    /// `[cepstrumCount][frames]` row-major, the layout syncnet_python feeds the network
    /// (`mfcc(...)` transposed).
    ///
    /// - Precondition: `samples` is not empty.
    package func coefficients(_ samples: [Float]) -> [Float] {
        precondition(!samples.isEmpty, "MFCC: no samples")
        let frames = frameCount(samples: samples.count)
        let padded = (frames - 1) * hop + windowLength
        var emphasised = [Double](repeating: 0, count: padded)
        emphasised[0] = Double(samples[0])
        for i in 1..<samples.count {
            emphasised[i] = Double(samples[i]) - preemphasis * Double(samples[i - 1])
        }
        var output = [Float](repeating: 0, count: cepstrumCount * frames)
        var frame = [Double](repeating: 0, count: fftSize)
        var power = [Double](repeating: 0, count: fftSize / 2 + 1)
        var logBands = [Double](repeating: 0, count: filterCount)
        let smallest = Double.ulpOfOne
        for t in 0..<frames {
            for i in 0..<windowLength { frame[i] = emphasised[t * hop + i] }
            for i in windowLength..<fftSize { frame[i] = 0 }
            fft.powerSpectrum(frame, into: &power)
            var energy = 0.0
            for p in power { energy += p }
            if energy == 0 { energy = smallest }
            for f in 0..<filterCount {
                var band = 0.0
                let weights = filters[f]
                for bin in 0..<power.count where weights[bin] != 0 { band += power[bin] * weights[bin] }
                logBands[f] = log(band == 0 ? smallest : band)
            }
            for c in 0..<cepstrumCount {
                var sum = 0.0
                let row = cepstrumRows[c]
                for f in 0..<filterCount { sum += row[f] * logBands[f] }
                output[c * frames + t] = Float(c == 0 ? log(energy) : sum)
            }
        }
        return output
    }

    /// `get_filterbanks`: `count` triangles between mel-spaced points from 0 Hz to Nyquist,
    /// on the FFT bins `floor((fftSize + 1) * hz / rate)`.
    private static func melFilters(count: Int, fftSize: Int, sampleRate: Int) -> [[Double]] {
        func hzToMel(_ hz: Double) -> Double { 2595 * log10(1 + hz / 700) }
        func melToHz(_ mel: Double) -> Double { 700 * (pow(10, mel / 2595) - 1) }
        let highMel = hzToMel(Double(sampleRate) / 2)
        let bins: [Int] = (0..<(count + 2)).map { i in
            // numpy.linspace(low, high, n): low + i * step, the last exactly high.
            let mel = i == count + 1 ? highMel : Double(i) * (highMel / Double(count + 1))
            return Int((Double(fftSize + 1) * melToHz(mel) / Double(sampleRate)).rounded(.down))
        }
        var filters = [[Double]](repeating: [Double](repeating: 0, count: fftSize / 2 + 1), count: count)
        for j in 0..<count {
            let (left, centre, right) = (bins[j], bins[j + 1], bins[j + 2])
            for i in left..<max(left, centre) {
                filters[j][i] = Double(i - left) / Double(centre - left)
            }
            for i in centre..<max(centre, right) {
                filters[j][i] = Double(right - i) / Double(right - centre)
            }
        }
        return filters
    }

    /// Rows of `scipy.fftpack.dct(type=2, norm='ortho')` for the first `cepstra` outputs, each
    /// scaled by the lifter `1 + (L / 2) sin(pi n / L)`.
    private static func dctRows(cepstra: Int, filters: Int, lifter: Int) -> [[Double]] {
        (0..<cepstra).map { k in
            let scale = (k == 0 ? 1 / Double(filters) : 2 / Double(filters)).squareRoot()
            let lift = lifter > 0 ? 1 + Double(lifter) / 2 * sin(Double.pi * Double(k) / Double(lifter)) : 1
            return (0..<filters).map { n in
                scale * lift * cos(Double.pi * Double(k) * Double(2 * n + 1) / Double(2 * filters))
            }
        }
    }
}
