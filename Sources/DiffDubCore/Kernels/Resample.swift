import Foundation

// Band-limited (windowed-sinc, polyphase) sample-rate conversion by a rational factor.

/// The polyphase filter bank of a Kaiser-windowed sinc low-pass for resampling by `up / down`.
///
/// Output sample `n` sits at input position `n * down / up = q + p / up` (`q` integer,
/// phase `p` in `0..<up`). Row `p` holds the taps `h(k - p / up)` for input offsets
/// `k = -halfWidth + 1 ... halfWidth` around `q`, where
/// `h(t) = 2 f sinc(2 f t) * kaiser(t / (halfWidth + 1))`, `f = cutoff` in cycles per input
/// sample (at most 0.5), `sinc(u) = sin(pi u) / (pi u)` and
/// `kaiser(u) = I0(beta sqrt(1 - u^2)) / I0(beta)`. Each row is scaled to sum to 1 (unit DC
/// gain). Result: `[up, 2 * halfWidth]`.
package func kaiserSincPolyphaseBank(
    up: Int, cutoff: Double, halfWidth: Int, beta: Double
) -> Tensor {
    precondition(up >= 1 && halfWidth >= 1 && cutoff > 0 && cutoff <= 0.5)
    let taps = 2 * halfWidth
    var bank = Tensor(zeros: [up, taps])
    let windowRadius = Double(halfWidth + 1)
    let besselOfBeta = besselI0(beta)
    bank.withUnsafeMutableBufferPointer { out in
        for phase in 0..<up {
            let fraction = Double(phase) / Double(up)
            var total = 0.0
            var row = [Double](repeating: 0, count: taps)
            for index in 0..<taps {
                let t = Double(index - halfWidth + 1) - fraction
                let x = 2 * cutoff * t
                let sinc = x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
                let u = t / windowRadius
                let window = abs(u) < 1 ? besselI0(beta * (1 - u * u).squareRoot()) / besselOfBeta : 0
                row[index] = 2 * cutoff * sinc * window
                total += row[index]
            }
            for index in 0..<taps {
                out[phase * taps + index] = Float(row[index] / total)
            }
        }
    }
    return bank
}

/// Resamples `input` (`[n]`) by `up / down` with a polyphase filter `bank` `[up, 2 W]`
/// (see ``kaiserSincPolyphaseBank(up:cutoff:halfWidth:beta:)``):
/// `y[m] = sum_k x[q + k] bank[p][k + W - 1]`, `k = -W + 1 ... W`, `m down = q up + p`,
/// samples outside the input taken as zero. Returns `[outputCount]`.
package func polyphaseResample(
    _ input: Tensor, bank: Tensor, up: Int, down: Int, outputCount: Int
) -> Tensor {
    precondition(bank.rank == 2 && bank.shape[0] == up && bank.shape[1] % 2 == 0)
    let taps = bank.shape[1]
    let halfWidth = taps / 2
    let n = input.count
    var output = Tensor(zeros: [outputCount])
    input.withUnsafeBufferPointer { x in
        bank.withUnsafeBufferPointer { h in
            output.withUnsafeMutableBufferPointer { y in
                nonisolated(unsafe) let y = y
                parallelFor(outputCount, minimumChunk: 2048) { range in
                    for m in range {
                        let position = m * down
                        let q = position / up
                        let phase = position - q * up
                        let first = q - halfWidth + 1
                        let lower = max(0, -first)
                        let upper = min(taps, n - first)
                        var acc: Float = 0
                        if lower < upper {
                            let row = phase * taps
                            for k in lower..<upper {
                                acc += x[first + k] * h[row + k]
                            }
                        }
                        y[m] = acc
                    }
                }
            }
        }
    }
    return output
}

/// The modified Bessel function of the first kind, order 0 (power series, converges for
/// every real argument; terms stop below 1e-12 relative).
func besselI0(_ x: Double) -> Double {
    var sum = 1.0
    var term = 1.0
    let quarterSquare = x * x / 4
    var k = 1.0
    while term > 1e-12 * sum {
        term *= quarterSquare / (k * k)
        sum += term
        k += 1
    }
    return sum
}
