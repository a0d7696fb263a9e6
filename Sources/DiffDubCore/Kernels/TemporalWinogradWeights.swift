/// The depth transform of a 3-D convolution's weight `[O, C, kd, kh, kw]` for
/// ``TemporalWinogradTransform`` `F(m, kd)`: `n = m + kd - 1` planar weights
/// `U[i] [O, C*kh*kw] = sum_a G[i, a] weight[:, :, a, :, :]`, computed in double precision and
/// rounded once.
///
/// Computed once per weight tensor and group size and kept with it (``of(_:outputs:)``).
final class TemporalWinogradWeights: @unchecked Sendable {
    let transform: TemporalWinogradTransform
    let outChannels: Int
    /// `C*kh*kw`: the depth of each planar product.
    let patch: Int
    /// `[n, O, patch]`.
    let values: UnsafeMutablePointer<Float>

    private init(weight: UnsafePointer<Float>, shape: [Int], outputs: Int) {
        let (o, c, kd, kh, kw) = (shape[0], shape[1], shape[2], shape[3], shape[4])
        let transform = TemporalWinogradTransform(outputs: outputs, taps: kd)
        let plane = kh * kw
        let patch = c * plane
        let n = transform.inputs
        values = UnsafeMutablePointer<Float>.allocate(capacity: n * o * patch)
        for i in 0..<n {
            let target = values + i * o * patch
            for oc in 0..<o {
                for ic in 0..<c {
                    for p in 0..<plane {
                        var total = 0.0
                        for a in 0..<kd {
                            total +=
                                transform.weightMatrix[i * kd + a] * Double(weight[((oc * c + ic) * kd + a) * plane + p])
                        }
                        target[(oc * c + ic) * plane + p] = Float(total)
                    }
                }
            }
        }
        self.transform = transform
        self.outChannels = o
        self.patch = patch
    }

    deinit { values.deallocate() }

    /// The transform of `weight` `[O, C, kd, kh, kw]` for groups of `outputs` output slices,
    /// kept with the weight's storage.
    static func of(_ weight: Tensor, outputs: Int) -> TemporalWinogradWeights {
        weight.storage.derived("temporal-winograd-\(outputs)") {
            TemporalWinogradWeights(weight: weight.readPointer, shape: weight.shape, outputs: outputs)
        }
    }
}
