import Foundation

/// A radix-2 FFT of real frames of a power-of-two size, in `Double`: the power spectrum
/// `|rfft(x)|^2 / size` over the `size / 2 + 1` bins (`python_speech_features.sigproc.powspec`).
package struct RealFFT: Sendable {
    /// Points per transform (a power of two).
    package let size: Int
    private let cosines: [Double]
    private let sines: [Double]
    private let reversed: [Int]

    /// Tables for transforms of `size` points.
    ///
    /// - Precondition: `size` is a power of two, at least 2.
    package init(size: Int) {
        precondition(size >= 2 && size & (size - 1) == 0, "RealFFT: size \(size) is not a power of two")
        self.size = size
        cosines = (0..<(size / 2)).map { cos(2 * Double.pi * Double($0) / Double(size)) }
        sines = (0..<(size / 2)).map { -sin(2 * Double.pi * Double($0) / Double(size)) }
        let bits = size.trailingZeroBitCount
        reversed = (0..<size).map { i in
            var r = 0
            for b in 0..<bits where i & (1 << b) != 0 { r |= 1 << (bits - 1 - b) }
            return r
        }
    }

    /// Writes `|X[k]|^2 / size` for `k` in `0...size / 2` into `power`, where `X` is the DFT of
    /// `frame` (`size` values).
    package func powerSpectrum(_ frame: [Double], into power: inout [Double]) {
        precondition(frame.count == size && power.count == size / 2 + 1, "RealFFT: wrong buffer sizes")
        var re = [Double](repeating: 0, count: size)
        var im = [Double](repeating: 0, count: size)
        for i in 0..<size { re[reversed[i]] = frame[i] }
        var half = 1
        while half < size {
            let step = size / (2 * half)
            var start = 0
            while start < size {
                for j in 0..<half {
                    let (c, s) = (cosines[j * step], sines[j * step])
                    let (a, b) = (start + j, start + j + half)
                    let tr = re[b] * c - im[b] * s
                    let ti = re[b] * s + im[b] * c
                    re[b] = re[a] - tr
                    im[b] = im[a] - ti
                    re[a] += tr
                    im[a] += ti
                }
                start += 2 * half
            }
            half *= 2
        }
        let scale = 1 / Double(size)
        for k in 0...(size / 2) { power[k] = (re[k] * re[k] + im[k] * im[k]) * scale }
    }
}
