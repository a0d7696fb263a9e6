/// How ``conv3d(_:weight:bias:stride:padding:algorithm:columnBufferBytes:)`` computes a
/// convolution.
package enum Conv3dAlgorithm: Sendable, CaseIterable {
    /// Winograd along the depth (``temporalWinograd``) where it applies and pays (a kernel of
    /// depth 2 or more, depth stride 1, no depth padding, at least
    /// ``temporalWinogradOutputs`` output slices); im2col otherwise (``planarWinograd`` only
    /// when asked for, see there).
    case automatic
    /// Every output depth slice a product over the unfolded `C*kd*kh*kw` patch (im2col).
    case im2col
    /// Winograd `F(4, kd)` along the depth: each group of 4 consecutive output slices is `3 + kd`
    /// planar convolutions (`C*kh*kw` deep) of depth-transformed input slices with kept
    /// depth-transformed weights, instead of `4 kd`: for SyncNet's `5x7x7` first layer 8
    /// products for 4 windows in place of 20, 2.5x fewer multiplications.
    /// Needs depth stride 1 and no depth padding.
    case temporalWinograd
    /// Winograd `F(2x2, 3x3)` in the plane for a kernel `[O, C, 1, 3, 3]` with stride 1 and no
    /// depth padding: the tiles of every depth slice together, 16 products `[O, C] x [C, tiles]`
    /// per block of slices; 2.25x fewer multiplications (SyncNet's 13 x 13 layers: 1.9x, the
    /// tiles overhang the plane). Not taken by ``automatic``: its tile transforms are scalar
    /// loops, and on SyncNet's 3x3 layers (2026-12-07, Zen 3) they took 22 % of the scoring's
    /// CPU time, more than the products saved (7.6 CPU s for 95 windows against 6.3 with
    /// im2col). Vectorised transforms are the missing piece.
    case planarWinograd

    /// Output tile side of ``planarWinograd``.
    package static let planarWinogradOutputs = 2

    /// Whether ``planarWinograd`` would suit these extents (a `1x3x3` kernel, stride 1, between
    /// at least 32 channels); ``automatic`` does not take it yet (see there).
    package static func prefersPlanarWinograd(channels: Int, kernel: Extent3, stride: Extent3, padding: Extent3) -> Bool {
        kernel == Extent3(1, 3, 3) && stride == Extent3(all: 1) && padding.depth == 0 && channels >= 32
    }

    /// Output slices per Winograd group (`m` of `F(m, kd)`).
    package static let temporalWinogradOutputs = 4

    /// Whether ``automatic`` takes ``temporalWinograd`` for these extents.
    package static func prefersTemporalWinograd(kernel: Extent3, stride: Extent3, padding: Extent3, outDepth: Int) -> Bool {
        kernel.depth >= 2 && stride.depth == 1 && padding.depth == 0 && outDepth >= temporalWinogradOutputs
    }
}

/// ``Conv3dAlgorithm/temporalWinograd`` (arguments already checked): for each volume and each
/// group of `m` output slices `t0 ..< t0 + m`, the `n = m + kd - 1` input slices from `t0` (zero
/// past the end) are transformed along the depth (`B^T`), each transformed slice is convolved in
/// the plane with its transformed weight (bands of output rows unfolded, one single-threaded
/// `sgemm` per band and slice, bands shared out over the threads), and the `n` products are
/// combined into the `m` outputs (`A^T`) plus the bias.
func conv3dTemporalWinograd(
    _ x: Tensor, weight: Tensor, bias: Tensor?, stride: Extent3, padding: Extent3,
    outputs m: Int = Conv3dAlgorithm.temporalWinogradOutputs
) -> Tensor {
    precondition(stride.depth == 1 && padding.depth == 0, "conv3d: temporal Winograd needs depth stride 1, no depth padding")
    let (batch, channels, depth, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], x.shape[4])
    let weights = TemporalWinogradWeights.of(weight, outputs: m)
    let transform = weights.transform
    let n = transform.inputs
    let outChannels = weights.outChannels
    let kernel = Extent3(1, weight.shape[3], weight.shape[4])
    // One transformed slice [C, H, W] under the planar kernel.
    let planar = VolumeColumns(
        channels: channels, depth: 1, height: height, width: width, kernel: kernel,
        stride: Extent3(1, stride.height, stride.width), padding: Extent3(0, padding.height, padding.width))
    let outDepth = depth - weight.shape[2] + 1
    let (outHeight, outWidth) = (planar.outHeight, planar.outWidth)
    let (result, y) = makeUninitializedOutput([batch, outChannels, outDepth, outHeight, outWidth])
    let outPlane = outHeight * outWidth
    let inPlane = height * width
    let patch = weights.patch
    // Bands of about 512 output columns: the columns [patch, 512] and the n products [O, 512]
    // of one band stay within the second-level cache.
    let bandRows = max(1, min(outHeight, 512 / max(1, outWidth)))
    let bands = (outHeight + bandRows - 1) / bandRows
    let bandCapacity = bandRows * outWidth
    let inputMatrix = transform.inputMatrix.map { Float($0) }
    let outputMatrix = transform.outputMatrix.map { Float($0) }
    let transformed = UnsafeMutablePointer<Float>.allocate(capacity: n * channels * inPlane)
    defer { transformed.deallocate() }
    let px = x.readPointer
    let pb = bias?.readPointer

    for volume in 0..<batch {
        let input = px + volume * channels * depth * inPlane
        var t0 = 0
        while t0 < outDepth {
            let groupOutputs = min(m, outDepth - t0)
            let available = min(n, depth - t0)
            // B^T along the depth, row by row: transformed[i, c] = sum_j B^T[i, j] x[c, t0 + j].
            parallelFor(channels * height, minimumChunk: max(1, elementwiseChunk / max(1, n * available * width))) {
                range in
                for line in range {
                    let (c, row) = (line / height, line % height)
                    let source = input + (c * depth + t0) * inPlane + row * width
                    for i in 0..<n {
                        let target = transformed + (i * channels + c) * inPlane + row * width
                        target.update(repeating: 0, count: width)
                        for j in 0..<available {
                            let coefficient = inputMatrix[i * n + j]
                            guard coefficient != 0 else { continue }
                            let slice = source + j * inPlane
                            for p in 0..<width { target[p] += coefficient * slice[p] }
                        }
                    }
                }
            }
            // Per band: the n planar products, then A^T and the bias into the outputs.
            parallelFor(bands, minimumChunk: 1) { range in
                let columns = UnsafeMutablePointer<Float>.allocate(capacity: patch * bandCapacity)
                let products = UnsafeMutablePointer<Float>.allocate(capacity: n * outChannels * bandCapacity)
                defer {
                    columns.deallocate()
                    products.deallocate()
                }
                for band in range {
                    let row0 = band * bandRows
                    let rows = min(bandRows, outHeight - row0)
                    let bandWidth = rows * outWidth
                    for i in 0..<n {
                        planar.pack(
                            input: transformed + i * channels * inPlane, outDepth: 0, firstRow: row0, rows: rows,
                            into: columns, rowStride: bandWidth, parallel: false)
                        sgemmSingle(
                            transposeA: false, transposeB: false, m: outChannels, n: bandWidth, k: patch,
                            a: weights.values + i * outChannels * patch, lda: patch, b: columns, ldb: bandWidth,
                            c: products + i * outChannels * bandWidth, ldc: bandWidth)
                    }
                    // Channel by channel, so its n product rows stay in the first-level cache.
                    for o in 0..<outChannels {
                        for k in 0..<groupOutputs {
                            let target =
                                y + ((volume * outChannels + o) * outDepth + t0 + k) * outPlane + row0 * outWidth
                            target.update(repeating: pb?[o] ?? 0, count: bandWidth)
                            for i in 0..<n {
                                let coefficient = outputMatrix[k * n + i]
                                guard coefficient != 0 else { continue }
                                let product = products + (i * outChannels + o) * bandWidth
                                for p in 0..<bandWidth { target[p] += coefficient * product[p] }
                            }
                        }
                    }
                }
            }
            t0 += m
        }
    }
    return result
}
