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
        Self.transform(weight, pairs: pairs) { k, pair, value in
            u[k * matrix + position(pair / channels, pair % channels)] = Float(value)
        }
    }

    /// Calls `store(k, pair, U[k])` for every (output, input) channel pair `pair` (`o * C + c`)
    /// of `weight` `[pairs, 3, 3]` and every `k < alpha^2`, with `U = G g G^T` in double precision;
    /// pairs are shared out over threads (each `pair` once).
    static func transform(
        _ weight: UnsafePointer<Float>, pairs: Int, store: (_ k: Int, _ pair: Int, _ value: Double) -> Void
    ) {
        let alpha = Transform.inputTile
        parallelFor(pairs, minimumChunk: 1024) { range in
            for pair in range {
                let g = weight + pair * 9
                // G g (alpha x 3, one column at a time), then (G g) G^T (alpha x alpha, by rows).
                let c0 = Transform.transformKernel(Double(g[0]), Double(g[3]), Double(g[6]))
                let c1 = Transform.transformKernel(Double(g[1]), Double(g[4]), Double(g[7]))
                let c2 = Transform.transformKernel(Double(g[2]), Double(g[5]), Double(g[8]))
                for i in 0..<alpha {
                    let row = Transform.transformKernel(c0[i], c1[i], c2[i])
                    for j in 0..<alpha { store(alpha * i + j, pair, row[j]) }
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

/// The transform `U = G g G^T` of ``WinogradWeights``, rounded once from double precision to
/// bfloat16 and packed for ``BF16Products``: each of the `alpha^2` matrices `[O, C]` as panels of
/// 8 output channels, each panel as pairs of consecutive input channels
/// (`[alpha^2, O' / 8, (C + 1) / 2, 8, 2]`, `O'` the output channels rounded up to a multiple of
/// 8, zero in the padding), half the bytes of the float32 transform.
///
/// Computed once per weight tensor and kept with it (``of(_:)``), like the float32 transform.
final class WinogradWeightsBF16<Transform: WinogradTransform>: @unchecked Sendable {
    let outChannels: Int
    let channels: Int
    /// `O'`: output channels including the zero padding of the last panel.
    let paddedOutChannels: Int
    /// Depth pairs `(C + 1) / 2`.
    let pairs: Int
    /// `[alpha^2, O' / 8, pairs, 8, 2]`.
    let values: UnsafeMutablePointer<UInt16>

    /// Values in one of the `alpha^2` matrices.
    var matrixCount: Int { paddedOutChannels * pairs * 2 }

    init(weight: UnsafePointer<Float>, outChannels: Int, channels: Int) {
        self.outChannels = outChannels
        self.channels = channels
        let block = BF16Products.rowBlock
        paddedOutChannels = (outChannels + block - 1) / block * block
        pairs = BF16Products.pairs(channels)
        let alpha = Transform.inputTile
        let matrix = paddedOutChannels * pairs * 2
        let u = UnsafeMutablePointer<UInt16>.allocate(capacity: alpha * alpha * matrix)
        u.initialize(repeating: 0, count: alpha * alpha * matrix)
        values = u
        let pairs = self.pairs
        WinogradWeights<Transform>.transform(weight, pairs: outChannels * channels) { k, pair, value in
            let (o, c) = (pair / channels, pair % channels)
            let at = ((o / block * pairs + c / 2) * block + o % block) * 2 + c % 2
            u[k * matrix + at] = BF16Products.round(Float(value))
        }
    }

    deinit { values.deallocate() }

    /// The transform of `weight` `[O, C, 3, 3]`, computed on first use and kept with its storage.
    static func of(_ weight: Tensor) -> WinogradWeightsBF16 {
        let (o, c) = (weight.shape[0], weight.shape[1])
        return weight.storage.derived(Transform.weightKey + "-bf16") {
            WinogradWeightsBF16(weight: weight.readPointer, outChannels: o, channels: c)
        }
    }
}

/// The kept weight transform a Winograd convolution multiplies by, in the precision of its
/// products: what ``WinogradBandConvolution`` and ``WinogradTileConvolution`` are built from.
enum WinogradProductWeights<Transform: WinogradTransform> {
    /// float32 products (``PackedProducts``, or `sgemm` in a portable build).
    case float32(WinogradWeights<Transform>)
    /// bfloat16 products with float32 sums (``BF16Products``).
    case bfloat16(WinogradWeightsBF16<Transform>)

    /// The transform of `weight` `[O, C, 3, 3]` kept with it: bfloat16 when `bf16`.
    static func of(_ weight: Tensor, bf16: Bool) -> WinogradProductWeights {
        bf16 ? .bfloat16(WinogradWeightsBF16.of(weight)) : .float32(WinogradWeights.of(weight))
    }

    /// Input channels `C`.
    var channels: Int {
        switch self {
        case .float32(let weights): return weights.channels
        case .bfloat16(let weights): return weights.channels
        }
    }

    /// Output channels `O`.
    var outChannels: Int {
        switch self {
        case .float32(let weights): return weights.outChannels
        case .bfloat16(let weights): return weights.outChannels
        }
    }

    /// Output channels the products hold (`O` rounded up to the kernel's row block).
    var paddedOutChannels: Int {
        switch self {
        case .float32(let weights): return weights.paddedOutChannels
        case .bfloat16(let weights): return weights.paddedOutChannels
        }
    }

    /// The bfloat16 transform, nil for float32 products.
    var bfloat16: WinogradWeightsBF16<Transform>? {
        if case .bfloat16(let weights) = self { return weights }
        return nil
    }

    /// The float32 transform, nil for bfloat16 products.
    var float32: WinogradWeights<Transform>? {
        if case .float32(let weights) = self { return weights }
        return nil
    }
}
