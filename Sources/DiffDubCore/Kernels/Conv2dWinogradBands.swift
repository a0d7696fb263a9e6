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
/// The output is computed in bands of tile rows: the band's transformed input (`alpha^2`
/// matrices `[C, tiles]` in the panels of ``WinogradPanels``), its products `[O', alpha^2,
/// tiles']` (row stride `alpha^2 * tiles'`, `tiles'` the padded tile count) and its output
/// transform. The input transform writes its values straight into the panels the product kernel
/// reads (``PackedProducts``, or `sgemm` in a portable build), and the weights are packed once
/// (``WinogradWeights``), so the products copy nothing. Every image is computed on its own with
/// the same band layout, so a result does not depend on the batch it was computed in.
///
/// With bfloat16 weights (``WinogradWeightsBF16``, ``Precision/bf16``) the panels are 32 tiles
/// wide, and each transformed-input matrix is rounded to bfloat16 pairs (``BF16Products``) just
/// before its products, by the thread that multiplies it, into a per-thread buffer that stays in
/// the second-level cache.
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
    /// The kept weight transform, float32 or bfloat16 (the products' precision).
    let weights: WinogradProductWeights<Transform>
    /// Transformed input band (`alpha^2` matrices in ``WinogradPanels``) and products
    /// `[O', alpha^2, tiles']` of the largest band.
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

    /// A convolution with `weights`' transform: float32 products, or bfloat16 products with
    /// float32 sums (``BF16Products``).
    init(weights: WinogradProductWeights<Transform>, height: Int, width: Int, padding: Int, bufferBytes: Int) {
        self.weights = weights
        channels = weights.channels
        outChannels = weights.outChannels
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
        let panels = WinogradPanels(channels: channels, tiles: bandRows * tileColumns, bf16: weights.bfloat16 != nil)
        // Up to 12 MiB each, written and read once per band: huge pages keep their TLB misses few.
        inputBand = .allocate(capacity: Self.products * panels.matrixCount)
        productBand = .allocate(capacity: Self.products * weights.paddedOutChannels * panels.paddedTiles)
    }

    /// Frees the band buffers; call once, after the last ``run(input:output:bias:)``.
    func deallocate() {
        inputBand.deallocate()
        productBand.deallocate()
    }

    /// Convolves one image `input` `[C, H, W]` into `output` `[O, Ho, Wo]`, adding `bias` and,
    /// when given, `residual` (`[O, Ho, Wo]`, the sum of a residual block).
    func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
        residual: UnsafePointer<Float>? = nil
    ) {
        var firstTileRow = 0
        while firstTileRow < tileRows {
            let rows = min(bandRows, tileRows - firstTileRow)
            let panels = WinogradPanels(channels: channels, tiles: rows * tileColumns, bf16: weights.bfloat16 != nil)
            transformInput(input, firstTileRow: firstTileRow, rows: rows, panels: panels)
            multiply(panels)
            transformOutput(
                output, bias: bias, residual: residual, firstTileRow: firstTileRow, rows: rows, panels: panels)
            firstTileRow += rows
        }
    }

    /// `M[o, k, t] = sum_c U[k, o, c] V[k, c, t]`: the `alpha^2` products of the band, side by
    /// side on the kernel threads; each runs the packed kernel block by block (output channels
    /// outside, panels of tiles inside, so a panel of `U` stays in the first-level cache while
    /// the panels of `V` stream past it), or one single-threaded `sgemm` in a portable build.
    private func multiply(_ panels: WinogradPanels) {
        if let reducedWeights = weights.bfloat16 {
            multiplyBF16(panels, weights: reducedWeights)
            return
        }
        let (weights, inputBand, productBand, channels) = (self.weights.float32!, self.inputBand, self.productBand, self.channels)
        let rowStride = Self.products * panels.paddedTiles
        let matrix = weights.paddedOutChannels * channels
        guard PackedProducts.isAvailable else {
            sgemmBatch(Self.products) { k, multiply in
                multiply(
                    false, false, weights.outChannels, panels.tiles, channels, 1, weights.values + k * matrix, channels,
                    inputBand + k * panels.matrixCount, panels.paddedTiles, 0, productBand + k * panels.paddedTiles,
                    rowStride)
            }
            return
        }
        let block = PackedProducts.rowBlock
        parallelFor(Self.products, minimumChunk: 1) { range in
            for k in range {
                let (u, v, m) = (weights.values + k * matrix, inputBand + k * panels.matrixCount, productBand + k * panels.paddedTiles)
                for firstRow in stride(from: 0, to: weights.paddedOutChannels, by: block) {
                    for panel in 0..<panels.panelCount {
                        PackedProducts.multiply(
                            depth: channels, a: u + firstRow * channels, b: v + panels.offset(ofPanel: panel),
                            width: panels.width(ofPanel: panel),
                            c: m + firstRow * rowStride + panels.firstTile(ofPanel: panel), ldc: rowStride)
                    }
                }
            }
        }
    }

    /// ``multiply(_:)`` on bfloat16 inputs: per matrix `k` (side by side on the kernel threads),
    /// its panels of `V` are rounded to bfloat16 pairs into a buffer of the thread, then
    /// multiplied block by block (8 output channels outside, panels of 32 tiles inside) with
    /// float32 sums.
    private func multiplyBF16(_ panels: WinogradPanels, weights: WinogradWeightsBF16<Transform>) {
        let (inputBand, productBand, channels) = (self.inputBand, self.productBand, self.channels)
        let rowStride = Self.products * panels.paddedTiles
        let (matrix, pairs, block) = (weights.matrixCount, weights.pairs, BF16Products.rowBlock)
        let panelValues = pairs * BF16Products.columnBlock * 2
        parallelFor(Self.products, minimumChunk: 1) { range in
            let packed = UnsafeMutablePointer<UInt16>.allocate(capacity: panels.panelCount * panelValues)
            defer { packed.deallocate() }
            for k in range {
                let (u, v, m) = (weights.values + k * matrix, inputBand + k * panels.matrixCount, productBand + k * panels.paddedTiles)
                for panel in 0..<panels.panelCount {
                    let width = panels.width(ofPanel: panel)
                    BF16Products.pack(
                        v + panels.offset(ofPanel: panel), depthStride: width, countStride: 1, depth: channels,
                        count: width, width: width, into: packed + panel * panelValues)
                }
                for firstRow in stride(from: 0, to: weights.paddedOutChannels, by: block) {
                    for panel in 0..<panels.panelCount {
                        let width = panels.width(ofPanel: panel)
                        BF16Products.multiply(
                            pairs: pairs, a: u + firstRow * pairs * 2, b: packed + panel * panelValues, width: width,
                            c: m + firstRow * rowStride + panels.firstTile(ofPanel: panel), ldc: rowStride,
                            rows: block, columns: width)
                    }
                }
            }
        }
    }

    /// `V[k, c, t] = (B^T d B)[k]` for the input tile `d` of channel `c` and tile `t` in the band.
    ///
    /// Per channel: for each tile row, `B^T` combines whole lines of its `alpha` input rows at
    /// once, straight from the image (rows past its top or bottom: from zero-padded copies), into
    /// lines whose padding columns are zero; then, for each combined line index, the lines of
    /// all tile rows are split into their tiles' columns (``transposeTiles(line:tileStride:tiles:count:columns:columnStride:toColumns:)``)
    /// and `B` combines them panel by panel, writing `alpha` runs of a panel's width straight into
    /// the panels of `V` (``WinogradPanels``; the padding tiles stay zero).
    private func transformInput(_ input: UnsafePointer<Float>, firstTileRow: Int, rows: Int, panels: WinogradPanels) {
        let (m, alpha) = (Transform.outputTile, Transform.inputTile)
        let v = inputBand
        let (height, width, padding, tileColumns) = (self.height, self.width, self.padding, self.tileColumns)
        let lineWidth = m * tileColumns + 2
        let (columnStride, matrix) = (panels.paddedTiles, panels.matrixCount)
        parallelFor(channels, minimumChunk: max(1, 8192 / max(1, Self.products * panels.tiles))) { range in
            // Loaded lines of one tile row, combined lines of every tile row (the unfolding reads
            // up to 8 values past the last tile's start), the tile columns of one line index
            // (zero in the padding tiles).
            let combinedCount = rows * alpha * lineWidth + 8
            let buffer = UnsafeMutablePointer<Float>.allocate(
                capacity: alpha * lineWidth + combinedCount + alpha * columnStride)
            defer { buffer.deallocate() }
            let (lines, combined) = (buffer, buffer + alpha * lineWidth)
            let columns = combined + combinedCount
            columns.initialize(repeating: 0, count: alpha * columnStride)
            for c in range {
                let plane = input + c * height * width
                for row in 0..<rows {
                    let firstRow = m * (firstTileRow + row) - padding
                    let target = combined + row * alpha * lineWidth
                    guard firstRow >= 0 && firstRow + alpha <= height else {
                        // Rows past the image's top or bottom: zero lines in the copy.
                        loadPaddedRows(
                            plane, height: height, width: width, padding: padding, firstRow: firstRow, count: alpha,
                            into: lines, lineWidth: lineWidth)
                        Transform.transformInput(
                            WinogradLines(lines, stride: lineWidth), into: WinogradLines(target, stride: lineWidth),
                            count: lineWidth)
                        continue
                    }
                    // Inside the image: straight from its rows; the padding columns combine zeros.
                    Transform.transformInput(
                        WinogradLines(reading: plane + firstRow * width, stride: width),
                        into: WinogradLines(target + padding, stride: lineWidth), count: width)
                    for j in 0..<alpha {
                        let line = target + j * lineWidth
                        line.update(repeating: 0, count: padding)
                        (line + padding + width).update(repeating: 0, count: lineWidth - padding - width)
                    }
                }
                for i in 0..<alpha {
                    for row in 0..<rows {
                        transposeTiles(
                            line: combined + (row * alpha + i) * lineWidth, tileStride: m, tiles: tileColumns,
                            count: alpha, columns: columns + row * tileColumns, columnStride: columnStride,
                            toColumns: true)
                    }
                    // Matrix alpha * i + j of V gets line j, one panel at a time.
                    let first = v + alpha * i * matrix
                    for panel in 0..<panels.panelCount {
                        let panelWidth = panels.width(ofPanel: panel)
                        Transform.transformInput(
                            WinogradLines(columns + panels.firstTile(ofPanel: panel), stride: columnStride),
                            into: WinogradLines(first + panels.offset(ofPanel: panel) + c * panelWidth, stride: matrix),
                            count: panelWidth)
                    }
                }
            }
        }
    }

    /// `Y = A^T M A + bias (+ residual)` for every tile in the band, written where it falls
    /// inside the output.
    ///
    /// Per output channel: `A^T` combines the products of the whole band line-wise (long runs
    /// of the product band); then, per tile row and output row, `A` combines the columns into
    /// contiguous per-column lines, which are interleaved back into the output row
    /// (``transposeTiles(line:tileStride:tiles:count:columns:columnStride:toColumns:)``).
    private func transformOutput(
        _ output: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?,
        firstTileRow: Int, rows: Int, panels: WinogradPanels
    ) {
        let (m, alpha) = (Transform.outputTile, Transform.inputTile)
        // Tiles with data, and the row stride of the products (padded tiles).
        let (tiles, stride) = (panels.tiles, panels.paddedTiles)
        let products = productBand
        let (outHeight, outWidth, tileColumns) = (self.outHeight, self.outWidth, self.tileColumns)
        let channelStride = Self.products * stride
        // Values an interleaved output row may write (the overhanging tiles' outputs and up to 8
        // values past the last tile's start).
        let interleavedCount = max(m * tileColumns, m * (tileColumns - 1) + 8)
        parallelFor(outChannels, minimumChunk: max(1, 8192 / max(1, Self.products * tiles))) { range in
            // A^T M of the band (m * alpha lines of `stride` values), one row of Y as m lines of
            // tileColumns values, one output row (the interleaving writes up to 8 values past the
            // last tile's start).
            let partialCount = m * alpha * stride
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
                        WinogradLines(reading: source + j * stride, stride: alpha * stride),
                        into: WinogradLines(partial + j * stride, stride: alpha * stride), bias: 0, count: tiles)
                }
                // Columns: y[r, c] = sum_j partial[r, j] A[j, c] + bias, for the rows inside the output.
                for row in 0..<rows {
                    let y0 = m * (firstTileRow + row)
                    for r in 0..<min(m, outHeight - y0) {
                        Transform.transformOutput(
                            WinogradLines(partial + alpha * r * stride + row * tileColumns, stride: stride),
                            into: WinogradLines(columns, stride: tileColumns), bias: b, count: tileColumns)
                        // Interleaved straight into the output row when what the interleaving
                        // writes past the row's end lands in later rows of the same plane (written
                        // afterwards); through `line` otherwise.
                        let start = (y0 + r) * outWidth
                        let direct = start + interleavedCount <= outHeight * outWidth
                        transposeTiles(
                            line: direct ? plane + start : line, tileStride: m, tiles: tileColumns, count: m,
                            columns: columns, columnStride: tileColumns, toColumns: false)
                        if !direct { (plane + start).update(from: line, count: outWidth) }
                        if let residual {
                            addResidual(residual + o * outHeight * outWidth + start, to: plane + start, count: outWidth)
                        }
                    }
                }
            }
        }
    }
}
