/// The transform `U = G g G^T` of a 3x3 convolution's weights `[O, C, 3, 3]`
/// (`U[alpha i + j, o, c] = (G g[o, c] G^T)[i, j]`), computed in double precision and rounded
/// once, laid out for this build's product kernel: with ``PackedProducts`` each of the `alpha^2`
/// matrices `[O, C]` is stored as panels of ``PackedProducts/rowBlock`` output channels, column
/// by column (`[alpha^2, O' / 4, C, 4]`, `O'` the output channels rounded up to a multiple of 4,
/// zero past `O`); otherwise as plain row-major matrices (`[alpha^2, O, C]`, `O' = O`).
///
/// Computed once per weight tensor and kept with it (``of(_:)``), so a model that calls the same
/// layer at every sampling step transforms its weights once.
final class WinogradWeights<Transform: WinogradTransform>: @unchecked Sendable {
    let outChannels: Int
    let channels: Int
    /// `O'`: output channels including the zero padding of the last panel.
    let paddedOutChannels: Int
    /// `[alpha^2, O' / 4, C, 4]` (packed) or `[alpha^2, O, C]`.
    let values: UnsafeMutablePointer<Float>

    init(weight: UnsafePointer<Float>, outChannels: Int, channels: Int) {
        self.outChannels = outChannels
        self.channels = channels
        let pairs = outChannels * channels
        let alpha = Transform.inputTile
        let packed = PackedProducts.isAvailable
        let block = PackedProducts.rowBlock
        let padded = packed ? (outChannels + block - 1) / block * block : outChannels
        paddedOutChannels = padded
        let matrix = padded * channels
        let u = UnsafeMutablePointer<Float>.allocate(capacity: alpha * alpha * matrix)
        u.initialize(repeating: 0, count: alpha * alpha * matrix)
        values = u
        // Where U[k, o, c] goes within matrix k.
        func position(_ o: Int, _ c: Int) -> Int {
            packed ? (o / block * channels + c) * block + o % block : o * channels + c
        }
        parallelFor(pairs, minimumChunk: 1024) { range in
            for pair in range {
                let g = weight + pair * 9
                let at = position(pair / channels, pair % channels)
                // G g (alpha x 3, one column at a time), then (G g) G^T (alpha x alpha, by rows).
                let c0 = Transform.transformKernel(Double(g[0]), Double(g[3]), Double(g[6]))
                let c1 = Transform.transformKernel(Double(g[1]), Double(g[4]), Double(g[7]))
                let c2 = Transform.transformKernel(Double(g[2]), Double(g[5]), Double(g[8]))
                for i in 0..<alpha {
                    let row = Transform.transformKernel(c0[i], c1[i], c2[i])
                    for j in 0..<alpha { u[(alpha * i + j) * matrix + at] = Float(row[j]) }
                }
            }
        }
    }

    deinit { values.deallocate() }

    /// The transform of `weight` `[O, C, 3, 3]`, computed on first use and kept with its storage.
    static func of(_ weight: Tensor) -> WinogradWeights {
        let (o, c) = (weight.shape[0], weight.shape[1])
        return weight.storage.derived(Transform.weightKey) {
            WinogradWeights(weight: weight.readPointer, outChannels: o, channels: c)
        }
    }
}
