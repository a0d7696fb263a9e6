/// Winograd `F(2x2, 3x3)` convolution of one image, stride 1, any zero padding.
///
/// Each 2x2 output tile comes from a 4x4 input tile `d`: with `U = G g G^T` (per output and
/// input channel, 4x4) and `V = B^T d B` (per input channel and tile), the 16 products
/// `M[k] = U[k] V[k]` are summed over input channels as 16 matrix products
/// `[O, C] x [C, tiles]`, and `Y = A^T M A` gives the 2x2 outputs. That is 16 multiplies per
/// 4 outputs instead of 36, so 2.25x fewer FLOPs than im2col. The transforms only use
/// 0, +-1 and +-1/2, so rounding stays close to the direct sum's (relative differences of about
/// 1e-6 in the tests).
///
/// `G = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]]`,
/// `B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]`,
/// `A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]`.
struct WinogradConv3x3 {
    let channels: Int
    let outChannels: Int
    let height: Int
    let width: Int
    let padding: Int
    let outHeight: Int
    let outWidth: Int
    /// Tiles per row and per column of the output.
    let tileColumns: Int
    let tileRows: Int
    /// Tile rows transformed at once (bounded by the buffer budget).
    let bandRows: Int
    /// Transformed weights `[16, O, C]`.
    let transformedWeights: UnsafeMutablePointer<Float>
    /// Transformed input band `[16, C, bandTiles]` and products `[16, O, bandTiles]`.
    let inputBand: UnsafeMutablePointer<Float>
    let productBand: UnsafeMutablePointer<Float>

    /// Tile rows per band so both band buffers stay within `bufferBytes`.
    static func bandRows(channels: Int, outChannels: Int, tileColumns: Int, tileRows: Int, bufferBytes: Int) -> Int {
        let bytesPerTileRow = 16 * max(channels, outChannels) * tileColumns * MemoryLayout<Float>.stride
        return max(1, min(tileRows, bufferBytes / max(1, bytesPerTileRow)))
    }

    init(
        weight: UnsafePointer<Float>, channels: Int, outChannels: Int, height: Int, width: Int, padding: Int,
        bufferBytes: Int
    ) {
        self.channels = channels
        self.outChannels = outChannels
        self.height = height
        self.width = width
        self.padding = padding
        outHeight = height + 2 * padding - 2
        outWidth = width + 2 * padding - 2
        tileRows = (outHeight + 1) / 2
        tileColumns = (outWidth + 1) / 2
        bandRows = WinogradConv3x3.bandRows(
            channels: channels, outChannels: outChannels, tileColumns: tileColumns, tileRows: tileRows,
            bufferBytes: bufferBytes)
        let bandTiles = bandRows * tileColumns
        transformedWeights = .allocate(capacity: 16 * outChannels * channels)
        inputBand = .allocate(capacity: 16 * channels * bandTiles)
        productBand = .allocate(capacity: 16 * outChannels * bandTiles)
        transformWeights(weight)
    }

    /// Frees the scratch buffers; call once, after the last ``run(input:output:bias:)``.
    func deallocate() {
        transformedWeights.deallocate()
        inputBand.deallocate()
        productBand.deallocate()
    }

    /// `U[k, o, c] = (G g[o, c] G^T)[k]`, with `k = 4 * row + column` of the 4x4 transform.
    private func transformWeights(_ weight: UnsafePointer<Float>) {
        let pairs = outChannels * channels
        let u = transformedWeights
        parallelFor(pairs, minimumChunk: 1024) { range in
            let gg = UnsafeMutablePointer<Float>.allocate(capacity: 12)  // G g, 4 x 3
            defer { gg.deallocate() }
            for pair in range {
                let g = weight + pair * 9
                for j in 0..<3 {
                    let (g0, g1, g2) = (g[j], g[3 + j], g[6 + j])
                    gg[j] = g0
                    gg[3 + j] = 0.5 * (g0 + g1 + g2)
                    gg[6 + j] = 0.5 * (g0 - g1 + g2)
                    gg[9 + j] = g2
                }
                for i in 0..<4 {
                    let (r0, r1, r2) = (gg[3 * i], gg[3 * i + 1], gg[3 * i + 2])
                    u[(4 * i) * pairs + pair] = r0
                    u[(4 * i + 1) * pairs + pair] = 0.5 * (r0 + r1 + r2)
                    u[(4 * i + 2) * pairs + pair] = 0.5 * (r0 - r1 + r2)
                    u[(4 * i + 3) * pairs + pair] = r2
                }
            }
        }
    }

    /// Convolves one image `input` `[C, H, W]` into `output` `[O, Ho, Wo]`, adding `bias`.
    func run(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?) {
        var firstTileRow = 0
        while firstTileRow < tileRows {
            let rows = min(bandRows, tileRows - firstTileRow)
            let tiles = rows * tileColumns
            transformInput(input, firstTileRow: firstTileRow, rows: rows)
            for k in 0..<16 {
                sgemm(
                    transposeA: false, transposeB: false, m: outChannels, n: tiles, k: channels,
                    a: transformedWeights + k * outChannels * channels, lda: channels,
                    b: inputBand + k * channels * tiles, ldb: tiles,
                    c: productBand + k * outChannels * tiles, ldc: tiles)
            }
            transformOutput(output, bias: bias, firstTileRow: firstTileRow, rows: rows)
            firstTileRow += rows
        }
    }

    /// `V[k, c, t] = (B^T d B)[k]` for the 4x4 input tile `d` of each tile `t` in the band.
    ///
    /// Per channel and tile row, the four input rows are copied into zero-padded lines, `B^T`
    /// combines whole lines at once, and `B` then combines neighbouring columns.
    private func transformInput(_ input: UnsafePointer<Float>, firstTileRow: Int, rows: Int) {
        let tiles = rows * tileColumns
        let v = inputBand
        let (height, width, padding, tileColumns) = (self.height, self.width, self.padding, self.tileColumns)
        let lineWidth = 2 * tileColumns + 2
        let kStride = channels * tiles
        parallelFor(channels, minimumChunk: max(1, 8192 / max(1, 16 * tiles))) { range in
            let lines = UnsafeMutablePointer<Float>.allocate(capacity: 8 * lineWidth)
            defer { lines.deallocate() }
            let combined = lines + 4 * lineWidth
            for c in range {
                let plane = input + c * height * width
                for row in 0..<rows {
                    let y0 = 2 * (firstTileRow + row) - padding
                    loadPaddedRows(
                        plane, height: height, width: width, padding: padding, firstRow: y0, count: 4,
                        into: lines, lineWidth: lineWidth)
                    let (l0, l1, l2, l3) = (lines, lines + lineWidth, lines + 2 * lineWidth, lines + 3 * lineWidth)
                    let (r0, r1, r2, r3) = (
                        combined, combined + lineWidth, combined + 2 * lineWidth, combined + 3 * lineWidth
                    )
                    for j in 0..<lineWidth {
                        r0[j] = l0[j] - l2[j]
                        r1[j] = l1[j] + l2[j]
                        r2[j] = l2[j] - l1[j]
                        r3[j] = l1[j] - l3[j]
                    }
                    let base = v + c * tiles + row * tileColumns
                    for i in 0..<4 {
                        let r = combined + i * lineWidth
                        let t0 = base + (4 * i) * kStride
                        let t1 = base + (4 * i + 1) * kStride
                        let t2 = base + (4 * i + 2) * kStride
                        let t3 = base + (4 * i + 3) * kStride
                        for column in 0..<tileColumns {
                            let x = 2 * column
                            t0[column] = r[x] - r[x + 2]
                            t1[column] = r[x + 1] + r[x + 2]
                            t2[column] = r[x + 2] - r[x + 1]
                            t3[column] = r[x + 1] - r[x + 3]
                        }
                    }
                }
            }
        }
    }

    /// `Y = A^T M A + bias` for every tile in the band, written where it falls inside the output.
    private func transformOutput(
        _ output: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, firstTileRow: Int, rows: Int
    ) {
        let tiles = rows * tileColumns
        let m = productBand
        let (outHeight, outWidth, tileColumns) = (self.outHeight, self.outWidth, self.tileColumns)
        let kStride = outChannels * tiles
        parallelFor(outChannels, minimumChunk: max(1, 8192 / max(1, 16 * tiles))) { range in
            // Two output lines of 2 * tileColumns values (the last column may be cut off).
            let lines = UnsafeMutablePointer<Float>.allocate(capacity: 4 * tileColumns)
            defer { lines.deallocate() }
            let (top, bottom) = (lines, lines + 2 * tileColumns)
            for o in range {
                let b = bias?[o] ?? 0
                let plane = output + o * outHeight * outWidth
                for row in 0..<rows {
                    let source = m + o * tiles + row * tileColumns
                    let m0 = source
                    let m1 = source + 1 * kStride
                    let m2 = source + 2 * kStride
                    let m3 = source + 3 * kStride
                    let m4 = source + 4 * kStride
                    let m5 = source + 5 * kStride
                    let m6 = source + 6 * kStride
                    let m7 = source + 7 * kStride
                    let m8 = source + 8 * kStride
                    let m9 = source + 9 * kStride
                    let m10 = source + 10 * kStride
                    let m11 = source + 11 * kStride
                    let m12 = source + 12 * kStride
                    let m13 = source + 13 * kStride
                    let m14 = source + 14 * kStride
                    let m15 = source + 15 * kStride
                    // A^T M gives rows s0 = M0 + M1 + M2 and s1 = M1 - M2 - M3 (M_i the rows
                    // of the 4x4 tile); A then maps each row (a, b, c, d) to (a+b+c, b-c-d).
                    for j in 0..<tileColumns {
                        let s00 = m0[j] + m4[j] + m8[j]
                        let s01 = m1[j] + m5[j] + m9[j]
                        let s02 = m2[j] + m6[j] + m10[j]
                        let s03 = m3[j] + m7[j] + m11[j]
                        let s10 = m4[j] - m8[j] - m12[j]
                        let s11 = m5[j] - m9[j] - m13[j]
                        let s12 = m6[j] - m10[j] - m14[j]
                        let s13 = m7[j] - m11[j] - m15[j]
                        top[2 * j] = s00 + s01 + s02 + b
                        top[2 * j + 1] = s01 - s02 - s03 + b
                        bottom[2 * j] = s10 + s11 + s12 + b
                        bottom[2 * j + 1] = s11 - s12 - s13 + b
                    }
                    let y0 = 2 * (firstTileRow + row)
                    (plane + y0 * outWidth).update(from: top, count: outWidth)
                    if y0 + 1 < outHeight { (plane + (y0 + 1) * outWidth).update(from: bottom, count: outWidth) }
                }
            }
        }
    }
}
