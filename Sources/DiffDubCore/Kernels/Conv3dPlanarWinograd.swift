/// The plane transform of a 3-D convolution's weight `[O, C, 1, r, r]` for Winograd
/// `F(m x m, r x r)` (``TemporalWinogradTransform`` along both plane axes): `n^2` matrices
/// `U[a n + b] [O, C] = sum_{u, v} G[a, u] G[b, v] weight[:, :, 0, u, v]` (`n = m + r - 1`),
/// computed in double precision and rounded once; kept with the weight (``of(_:outputs:)``).
final class PlanarWinogradWeights: @unchecked Sendable {
    let transform: TemporalWinogradTransform
    let outChannels: Int
    let channels: Int
    /// `[n^2, O, C]`.
    let values: UnsafeMutablePointer<Float>

    private init(weight: UnsafePointer<Float>, shape: [Int], outputs: Int) {
        let (o, c, r) = (shape[0], shape[1], shape[3])
        let transform = TemporalWinogradTransform(outputs: outputs, taps: r)
        let n = transform.inputs
        let g = transform.weightMatrix
        values = UnsafeMutablePointer<Float>.allocate(capacity: n * n * o * c)
        var half = [Double](repeating: 0, count: n * r)  // G g for one (o, c): [n, r]
        for pair in 0..<(o * c) {
            let kernel = weight + pair * r * r
            for a in 0..<n {
                for v in 0..<r {
                    var total = 0.0
                    for u in 0..<r { total += g[a * r + u] * Double(kernel[u * r + v]) }
                    half[a * r + v] = total
                }
            }
            for a in 0..<n {
                for b in 0..<n {
                    var total = 0.0
                    for v in 0..<r { total += half[a * r + v] * g[b * r + v] }
                    values[(a * n + b) * o * c + pair] = Float(total)
                }
            }
        }
        self.transform = transform
        self.outChannels = o
        self.channels = c
    }

    deinit { values.deallocate() }

    /// The transform of `weight` `[O, C, 1, r, r]` for output tiles of `outputs x outputs`.
    static func of(_ weight: Tensor, outputs: Int) -> PlanarWinogradWeights {
        weight.storage.derived("planar-winograd-\(outputs)") {
            PlanarWinogradWeights(weight: weight.readPointer, shape: weight.shape, outputs: outputs)
        }
    }
}

/// ``Conv3dAlgorithm/planarWinograd`` (arguments already checked): a kernel `[O, C, 1, r, r]`
/// with stride 1 as Winograd `F(m x m, r x r)` over the tiles of every depth slice of every
/// volume together: blocks of whole slices, each block's tiles input-transformed (`B^T d B`) into
/// `n^2` matrices `[C, tiles]`, multiplied by the kept `U` `[O, C]` (one single-threaded `sgemm`
/// each), and output-transformed (`A^T M A`) with the bias into the output. Blocks are shared out
/// over the threads; tiles that overhang the plane compute outputs that are dropped.
func conv3dPlanarWinograd(_ x: Tensor, weight: Tensor, bias: Tensor?, padding: Extent3, outputs m: Int) -> Tensor {
    let (batch, channels, depth, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], x.shape[4])
    let r = weight.shape[3]
    precondition(
        weight.shape[2] == 1 && weight.shape[4] == r && padding.depth == 0,
        "conv3d: planar Winograd needs a [O, C, 1, r, r] kernel and no depth padding, got \(weight.shape), \(padding)")
    let weights = PlanarWinogradWeights.of(weight, outputs: m)
    let transform = weights.transform
    let n = transform.inputs
    let products = n * n
    let outChannels = weights.outChannels
    let (ph, pw) = (padding.height, padding.width)
    let outHeight = height + 2 * ph - r + 1
    let outWidth = width + 2 * pw - r + 1
    let (tileRows, tileColumns) = ((outHeight + m - 1) / m, (outWidth + m - 1) / m)
    let tilesPerSlice = tileRows * tileColumns
    let slices = batch * depth
    // Blocks of whole slices with about 512 tiles, at least two per thread where there are enough.
    let threads = Parallelism.threadCount
    let slicesPerBlock = max(1, min(max(1, 512 / tilesPerSlice), (slices + 2 * threads - 1) / (2 * threads)))
    let blocks = (slices + slicesPerBlock - 1) / slicesPerBlock
    let (result, y) = makeUninitializedOutput([batch, outChannels, depth, outHeight, outWidth])
    let inPlane = height * width
    let outPlane = outHeight * outWidth
    let inputMatrix = transform.inputMatrix.map { Float($0) }  // B^T [n, n]
    let outputMatrix = transform.outputMatrix.map { Float($0) }  // A^T [m, n]
    let px = x.readPointer
    let pb = bias?.readPointer

    parallelFor(blocks, minimumChunk: 1) { range in
        let capacity = slicesPerBlock * tilesPerSlice
        let transformed = UnsafeMutablePointer<Float>.allocate(capacity: products * channels * capacity)
        let multiplied = UnsafeMutablePointer<Float>.allocate(capacity: products * outChannels * capacity)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 3 * products)
        defer {
            transformed.deallocate()
            multiplied.deallocate()
            scratch.deallocate()
        }
        let (tile, half, full) = (scratch, scratch + products, scratch + 2 * products)
        for block in range {
            let firstSlice = block * slicesPerBlock
            let count = min(slicesPerBlock, slices - firstSlice)
            let tiles = count * tilesPerSlice
            // Input transform: transformed[xi, c, k] = (B^T d B)[xi] of tile k of channel c.
            for s in 0..<count {
                let (volume, t) = ((firstSlice + s) / depth, (firstSlice + s) % depth)
                for c in 0..<channels {
                    let plane = px + ((volume * channels + c) * depth + t) * inPlane
                    for ty in 0..<tileRows {
                        for tx in 0..<tileColumns {
                            let (top, left) = (ty * m - ph, tx * m - pw)
                            for i in 0..<n {
                                let row = top + i
                                for j in 0..<n {
                                    let column = left + j
                                    tile[i * n + j] =
                                        row >= 0 && row < height && column >= 0 && column < width
                                        ? plane[row * width + column] : 0
                                }
                            }
                            // half = B^T d, full = half B.
                            for a in 0..<n {
                                for j in 0..<n {
                                    var total: Float = 0
                                    for i in 0..<n { total += inputMatrix[a * n + i] * tile[i * n + j] }
                                    half[a * n + j] = total
                                }
                            }
                            let k = s * tilesPerSlice + ty * tileColumns + tx
                            for a in 0..<n {
                                for b in 0..<n {
                                    var total: Float = 0
                                    for j in 0..<n { total += half[a * n + j] * inputMatrix[b * n + j] }
                                    transformed[((a * n + b) * channels + c) * tiles + k] = total
                                }
                            }
                        }
                    }
                }
            }
            for xi in 0..<products {
                sgemmSingle(
                    transposeA: false, transposeB: false, m: outChannels, n: tiles, k: channels,
                    a: weights.values + xi * outChannels * channels, lda: channels,
                    b: transformed + xi * channels * tiles, ldb: tiles,
                    c: multiplied + xi * outChannels * tiles, ldc: tiles)
            }
            // Output transform: y = A^T M A + bias over each tile's m x m outputs in the plane.
            for s in 0..<count {
                let (volume, t) = ((firstSlice + s) / depth, (firstSlice + s) % depth)
                for o in 0..<outChannels {
                    let plane = y + ((volume * outChannels + o) * depth + t) * outPlane
                    let start = pb?[o] ?? 0
                    for ty in 0..<tileRows {
                        for tx in 0..<tileColumns {
                            let k = s * tilesPerSlice + ty * tileColumns + tx
                            for xi in 0..<products { full[xi] = multiplied[(xi * outChannels + o) * tiles + k] }
                            // half = A^T M [m, n], then (half A)[p, q].
                            for p in 0..<m {
                                for b in 0..<n {
                                    var total: Float = 0
                                    for a in 0..<n { total += outputMatrix[p * n + a] * full[a * n + b] }
                                    half[p * n + b] = total
                                }
                            }
                            for p in 0..<m where ty * m + p < outHeight {
                                for q in 0..<m where tx * m + q < outWidth {
                                    var total = start
                                    for b in 0..<n { total += half[p * n + b] * outputMatrix[q * n + b] }
                                    plane[(ty * m + p) * outWidth + tx * m + q] = total
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return result
}
