/// Winograd `F(m x m, 3x3)` convolution of one image, stride 1, any zero padding, for the
/// one-dimensional algorithm `Transform` (``WinogradF2``, ``WinogradF4``, ``WinogradF6``).
///
/// Each `m x m` output tile comes from an `alpha x alpha` input tile `d` (`alpha = m + 2`): with
/// `U = G g G^T` (per output and input channel, ``WinogradWeights``) and `V = B^T d B` (per input
/// channel and tile), the `alpha^2` products `M[k] = U[k] V[k]` are summed over input channels as
/// `alpha^2` matrix products `[O, C] x [C, tiles]`, and `Y = A^T M A` gives the outputs. Tiles
/// that overhang the output's bottom or right edge read zeros and their extra outputs are
/// dropped.
///
/// The output is computed in bands of tile rows: the band's transformed input
/// `[C, alpha^2, bandTiles]`, its products `[O, alpha^2, bandTiles]` (`alpha^2` matrix products
/// with row strides `alpha^2 * bandTiles`, run side by side with `sgemmBatch`) and its output
/// transform. Keeping all `alpha^2` values of a channel together makes the transforms read and
/// write one contiguous block per channel instead of `alpha^2` short runs far apart. Every image
/// is computed on its own with the same band layout, so a result does not depend on the batch it
/// was computed in.
struct WinogradBandConvolution<Transform: WinogradTransform> {
    let channels: Int
    let outChannels: Int
    let height: Int
    let width: Int
    let padding: Int
    let outHeight: Int
    let outWidth: Int
    let tileColumns: Int
    let tileRows: Int
    /// Tile rows transformed at once (bounded by the buffer budget).
    let bandRows: Int
    let weights: WinogradWeights<Transform>
    /// Transformed input band `[C, alpha^2, bandTiles]` and products `[O, alpha^2, bandTiles]`.
    let inputBand: UnsafeMutablePointer<Float>
    let productBand: UnsafeMutablePointer<Float>

    /// `alpha^2`, the number of products per band.
    private static var products: Int { Transform.inputTile * Transform.inputTile }

    /// Tile rows per band: as few bands as keep both band buffers within `bufferBytes`, with
    /// the tile rows spread evenly over them (bands of 6 and 5 rows rather than 8 and 3: a
    /// product with few tiles runs far below the `sgemm` rate).
    static func bandRows(channels: Int, outChannels: Int, tileColumns: Int, tileRows: Int, bufferBytes: Int) -> Int {
        let bytesPerTileRow = products * max(channels, outChannels) * tileColumns * MemoryLayout<Float>.stride
        let largest = max(1, min(tileRows, bufferBytes / max(1, bytesPerTileRow)))
        let bands = (tileRows + largest - 1) / largest
        return (tileRows + bands - 1) / bands
    }

    init(weights: WinogradWeights<Transform>, height: Int, width: Int, padding: Int, bufferBytes: Int) {
        channels = weights.channels
        outChannels = weights.outChannels
        self.weights = weights
        self.height = height
        self.width = width
        self.padding = padding
        outHeight = height + 2 * padding - 2
        outWidth = width + 2 * padding - 2
        let m = Transform.outputTile
        tileRows = (outHeight + m - 1) / m
        tileColumns = (outWidth + m - 1) / m
        bandRows = Self.bandRows(
            channels: channels, outChannels: outChannels, tileColumns: tileColumns, tileRows: tileRows,
            bufferBytes: bufferBytes)
        let bandTiles = bandRows * tileColumns
        inputBand = .allocate(capacity: Self.products * channels * bandTiles)
        productBand = .allocate(capacity: Self.products * outChannels * bandTiles)
    }

    /// Frees the band buffers; call once, after the last ``run(input:output:bias:)``.
    func deallocate() {
        inputBand.deallocate()
        productBand.deallocate()
    }

    /// Convolves one image `input` `[C, H, W]` into `output` `[O, Ho, Wo]`, adding `bias`.
    func run(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?) {
        var firstTileRow = 0
        while firstTileRow < tileRows {
            let rows = min(bandRows, tileRows - firstTileRow)
            let tiles = rows * tileColumns
            transformInput(input, firstTileRow: firstTileRow, rows: rows)
            let (weights, inputBand, productBand, channels, outChannels) = (
                self.weights, self.inputBand, self.productBand, self.channels, self.outChannels
            )
            let rowStride = Self.products * tiles
            sgemmBatch(Self.products) { k, multiply in
                multiply(
                    false, false, outChannels, tiles, channels, 1,
                    weights.values + k * outChannels * channels, channels,
                    inputBand + k * tiles, rowStride,
                    0, productBand + k * tiles, rowStride)
            }
            transformOutput(output, bias: bias, firstTileRow: firstTileRow, rows: rows)
            firstTileRow += rows
        }
    }

    /// `V[c, k, t] = (B^T d B)[k]` for the input tile `d` of each tile `t` in the band.
    ///
    /// Per channel: for each tile row, the `alpha` input rows are copied into zero-padded lines
    /// and `B^T` combines whole lines at once; then, for each combined line index, the lines of
    /// all tile rows are split into their tiles' columns (``transposeTiles(line:tileStride:tiles:count:columns:columnStride:toColumns:)``)
    /// and `B` combines them over the whole band, writing `alpha` long runs of `V`.
    private func transformInput(_ input: UnsafePointer<Float>, firstTileRow: Int, rows: Int) {
        let (m, alpha) = (Transform.outputTile, Transform.inputTile)
        let tiles = rows * tileColumns
        let v = inputBand
        let (height, width, padding, tileColumns) = (self.height, self.width, self.padding, self.tileColumns)
        let lineWidth = m * tileColumns + 2
        let channelStride = Self.products * tiles
        parallelFor(channels, minimumChunk: max(1, 8192 / max(1, Self.products * tiles))) { range in
            // Loaded lines of one tile row, combined lines of every tile row (the unfolding reads
            // up to 8 values past the last tile's start), the tile columns of one line index.
            let combinedCount = rows * alpha * lineWidth + 8
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: alpha * lineWidth + combinedCount + alpha * tiles)
            defer { buffer.deallocate() }
            let (lines, combined) = (buffer, buffer + alpha * lineWidth)
            let columns = combined + combinedCount
            for c in range {
                let plane = input + c * height * width
                for row in 0..<rows {
                    loadPaddedRows(
                        plane, height: height, width: width, padding: padding,
                        firstRow: m * (firstTileRow + row) - padding, count: alpha, into: lines, lineWidth: lineWidth)
                    Transform.transformInput(
                        WinogradLines(lines, stride: lineWidth),
                        into: WinogradLines(combined + row * alpha * lineWidth, stride: lineWidth),
                        count: lineWidth)
                }
                for i in 0..<alpha {
                    for row in 0..<rows {
                        transposeTiles(
                            line: combined + (row * alpha + i) * lineWidth, tileStride: m, tiles: tileColumns,
                            count: alpha, columns: columns + row * tileColumns, columnStride: tiles, toColumns: true)
                    }
                    Transform.transformInput(
                        WinogradLines(columns, stride: tiles),
                        into: WinogradLines(v + c * channelStride + alpha * i * tiles, stride: tiles),
                        count: tiles)
                }
            }
        }
    }

    /// `Y = A^T M A + bias` for every tile in the band, written where it falls inside the output.
    ///
    /// Per output channel: `A^T` combines the products of the whole band line-wise (long runs
    /// of the product band); then, per tile row and output row, `A` combines the columns into
    /// contiguous per-column lines, which are interleaved back into the output row
    /// (``transposeTiles(line:tileStride:tiles:count:columns:columnStride:toColumns:)``).
    private func transformOutput(
        _ output: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, firstTileRow: Int, rows: Int
    ) {
        let (m, alpha) = (Transform.outputTile, Transform.inputTile)
        let tiles = rows * tileColumns
        let products = productBand
        let (outHeight, outWidth, tileColumns) = (self.outHeight, self.outWidth, self.tileColumns)
        let channelStride = Self.products * tiles
        parallelFor(outChannels, minimumChunk: max(1, 8192 / max(1, Self.products * tiles))) { range in
            // A^T M of the band (m * alpha lines of `tiles` values), one row of Y as m lines of
            // tileColumns values, one output row (the interleaving writes up to 8 values past the
            // last tile's start).
            let partialCount = m * alpha * tiles
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: partialCount + 2 * m * tileColumns + 8)
            defer { buffer.deallocate() }
            let (partial, columns, line) = (buffer, buffer + partialCount, buffer + partialCount + m * tileColumns)
            for o in range {
                let b = bias?[o] ?? 0
                let plane = output + o * outHeight * outWidth
                let source = products + o * channelStride
                // Rows: partial[r, j] = sum_i A^T[r, i] M[alpha i + j].
                for j in 0..<alpha {
                    Transform.transformOutput(
                        WinogradLines(reading: source + j * tiles, stride: alpha * tiles),
                        into: WinogradLines(partial + j * tiles, stride: alpha * tiles), bias: 0, count: tiles)
                }
                // Columns: y[r, c] = sum_j partial[r, j] A[j, c] + bias, for the rows inside the output.
                for row in 0..<rows {
                    let y0 = m * (firstTileRow + row)
                    for r in 0..<min(m, outHeight - y0) {
                        Transform.transformOutput(
                            WinogradLines(partial + alpha * r * tiles + row * tileColumns, stride: tiles),
                            into: WinogradLines(columns, stride: tileColumns), bias: b, count: tileColumns)
                        transposeTiles(
                            line: line, tileStride: m, tiles: tileColumns, count: m, columns: columns,
                            columnStride: tileColumns, toColumns: false)
                        (plane + (y0 + r) * outWidth).update(from: line, count: outWidth)
                    }
                }
            }
        }
    }
}
