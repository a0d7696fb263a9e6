import CCPUHints
import Foundation

/// Winograd `F(m x m, 3x3)` convolution of one image, fused per block of tiles: the input
/// transform, the products and the output transform of a few dozen tiles run back to back on
/// one thread, in buffers of that thread that stay in its caches, instead of one stage at a time
/// over a band of tile rows (``WinogradBandConvolution``).
///
/// The arithmetic is the band convolution's (the same `U = G g G^T` of ``WinogradWeights``,
/// `V = B^T d B`, `M[k] = U[k] V[k]` summed over input channels by ``PackedProducts``, `Y = A^T M
/// A`), in the same order per output, so the two agree to the last bit on the products and
/// differ only where a transform's rounding does. What changes is where the values travel: the
/// band convolution writes the transformed input of a whole band (up to 12 MiB) and its products
/// to memory between the stages, and with 64 matrices of `[C, tiles]` its input transform wrote
/// to 960 places at once per channel; that made the transforms 54 % of a 128 -> 128 layer at
/// 256^2 (`perf`, Zen 3), ten times their arithmetic. Here:
///
/// ```
/// for each block of `tileBlock` consecutive tiles (row-major tile order; parallel over blocks):
///     for c in channels:  V[k][c][block] = (B^T d_c B)[k]     // from the image rows, per tile row
///     for each group of `outputBlock` output channels:
///         for k in 0..<alpha^2:  M[o][k][block] = U[k][o, :] V[k]     // packed kernel, V[k] in L1
///         for o in group:        y[o] tiles of the block = A^T M[o] A + bias
/// ```
///
/// A block is one panel of the product kernel (24 tiles, the last 8, 16 or 24 wide), so each
/// `V[k]` panel stays in the first-level cache while all output channels stream past it; the
/// weights stream from the shared cache once per block.
///
/// With bfloat16 weights (``WinogradWeightsBF16``, ``Precision/bf16``) a block is one panel of
/// ``BF16Products`` (32 tiles, the last 16 or 32 wide): the input transform runs a chunk of 8
/// channels at a time into a float32 buffer in the first-level cache, rounded from there to
/// bfloat16 pairs in the block's `V`
/// (``BF16Products/pack(_:depthStride:countStride:depth:count:width:into:)``), so a block keeps
/// only the bfloat16 `V` of its channels (half the bytes: the blocks of layers up to 768
/// channels fit a 1 MiB cache); the products run on the bfloat16 kernel, the transforms in
/// float32.
///
/// F(2x2) (the bfloat16 tile) has transforms of its own (``WinogradF2Tiles``), in one pass each.
struct WinogradTileConvolution<Transform: WinogradTransform> {
    let channels: Int
    let outChannels: Int
    let height: Int
    let width: Int
    let padding: Int
    let outHeight: Int
    let outWidth: Int
    let tileColumns: Int
    let tileRows: Int
    /// The kept weight transform, float32 or bfloat16 (the products' precision).
    let weights: WinogradProductWeights<Transform>
    /// Output channels per group of products and output transform (a multiple of
    /// ``rowBlock``).
    let outputBlock: Int
    /// Tiles per block: one panel of the product kernel (``PackedProducts/columnBlock`` or
    /// ``BF16Products/columnBlock``).
    let tileBlock: Int
    /// Granularity of a block's panel width in the product kernel.
    let panelGranularity: Int
    /// Output channels per call of the product kernel.
    let rowBlock: Int

    /// `alpha^2`, the number of products per tile.
    static var products: Int { Transform.inputTile * Transform.inputTile }

    /// A convolution of `height x width` images padded by `padding`, with `weights`' transform
    /// (float32 or bfloat16 products).
    ///
    /// - Precondition: float32 weights need the packed product kernel
    ///   (``PackedProducts/isAvailable``); bfloat16 products run on any CPU.
    init(weights: WinogradProductWeights<Transform>, height: Int, width: Int, padding: Int, outputBlock: Int = 32) {
        self.weights = weights
        channels = weights.channels
        outChannels = weights.outChannels
        if case .float32 = weights {
            precondition(PackedProducts.isAvailable, "WinogradTileConvolution needs the packed product kernel")
        }
        (tileBlock, panelGranularity, rowBlock) = Self.kernelBlocks(bf16: weights.bfloat16 != nil)
        self.height = height
        self.width = width
        self.padding = padding
        outHeight = height + 2 * padding - 2
        outWidth = width + 2 * padding - 2
        let m = Transform.outputTile
        tileRows = (outHeight + m - 1) / m
        tileColumns = (outWidth + m - 1) / m
        self.outputBlock = max(rowBlock, min(weights.paddedOutChannels, outputBlock / rowBlock * rowBlock))
    }

    /// The product kernel's tiles per block, panel granularity and output channels per call.
    private static func kernelBlocks(bf16: Bool) -> (tileBlock: Int, granularity: Int, rowBlock: Int) {
        bf16
            ? (BF16Products.columnBlock, BF16Products.columnGranularity, BF16Products.rowBlock)
            : (PackedProducts.columnBlock, PackedProducts.columnGranularity, PackedProducts.rowBlock)
    }

    /// ``prefersTiles(threads:cacheBytes:)`` of the convolution that `init` would make for a layer
    /// of `channels -> outChannels` (float32 or bfloat16 products) on `height x width` images
    /// padded by `padding`, from the sizes alone: without a weight transform.
    static func prefersTiles(
        channels: Int, outChannels: Int, height: Int, width: Int, padding: Int, bf16: Bool, threads: Int,
        cacheBytes: Int = secondLevelCacheBytes
    ) -> Bool {
        let (tileBlock, _, rowBlock) = kernelBlocks(bf16: bf16)
        let m = Transform.outputTile
        let tiles = ((height + 2 * padding - 2 + m - 1) / m) * ((width + 2 * padding - 2 + m - 1) / m)
        let paddedOutChannels = (outChannels + rowBlock - 1) / rowBlock * rowBlock
        let layout = BlockLayout(
            channels: channels, bf16: bf16, outputBlock: max(rowBlock, min(paddedOutChannels, 32 / rowBlock * rowBlock)),
            tileBlock: tileBlock, tiles: tiles)
        return layout.prefersTiles(threads: threads, cacheBytes: cacheBytes)
    }

    /// The sizes of the convolution's blocks, which decide its schedule.
    var layout: BlockLayout {
        BlockLayout(
            channels: channels, bf16: weights.bfloat16 != nil, outputBlock: outputBlock, tileBlock: tileBlock,
            tiles: tiles)
    }

    /// The sizes of a fused convolution's blocks: what decides whether it runs fused.
    struct BlockLayout {
        /// Input channels.
        let channels: Int
        /// Whether the products are bfloat16.
        let bf16: Bool
        /// Output channels per group.
        let outputBlock: Int
        /// Tiles per block.
        let tileBlock: Int
        /// Tiles of one image.
        let tiles: Int

        /// Channels whose float32 `V` a block holds at once: all of them for float32 products;
        /// one chunk (``WinogradTileConvolution/channelChunk``) for bfloat16 products, which
        /// round each chunk to bfloat16 pairs as soon as it is transformed.
        var transformedChannels: Int { bf16 ? min(channels, WinogradTileConvolution.channelChunk) : channels }

        /// Blocks of tiles of one image.
        var blockCount: Int { (tiles + tileBlock - 1) / tileBlock }

        /// Bytes of the transformed input (float32, and bfloat16 for bfloat16 products) and the
        /// products of one block: what has to stay in a core's second-level cache for the fusion
        /// to pay.
        var blockBytes: Int {
            let (products, padding) = (WinogradTileConvolution.products, TileBlockBuffers.padding)
            let floats = products * ((transformedChannels + outputBlock) * tileBlock + 2 * padding) * MemoryLayout<Float>.stride
            guard bf16 else { return floats }
            return floats + products * (BF16Products.pairs(channels) * 2 * tileBlock + 2 * padding)
                * MemoryLayout<UInt16>.stride
        }

        /// See ``WinogradTileConvolution/prefersTiles(threads:cacheBytes:)``.
        func prefersTiles(threads: Int, cacheBytes: Int) -> Bool {
            let threads = max(1, threads)
            return (blockCount >= 4 * threads || blockCount % threads == 0) && blockBytes <= cacheBytes
        }
    }

    /// Tiles of one image.
    var tiles: Int { tileRows * tileColumns }

    /// Blocks of tiles of one image.
    var blockCount: Int { layout.blockCount }

    /// Bytes of one block's buffers that have to stay in a core's second-level cache
    /// (``BlockLayout/blockBytes``).
    var blockBytes: Int { layout.blockBytes }

    /// Channels whose float32 `V` a block holds at once (``BlockLayout/transformedChannels``).
    var transformedChannels: Int { layout.transformedChannels }

    /// Values from one float32 `V[k]` of a block to the next: `[transformedChannels][panel
    /// width]` and ``TileBlockBuffers/padding``.
    func transformedStride(panelWidth: Int) -> Int { transformedChannels * panelWidth + TileBlockBuffers.padding }

    /// Values from one bfloat16 `V[k]` of a block to the next.
    func packedStride(panelWidth: Int) -> Int { BF16Products.pairs(channels) * panelWidth * 2 + 2 * TileBlockBuffers.padding }

    /// Whether this schedule is expected to beat the band one for a layer on `threads` threads,
    /// each with a second-level cache of `cacheBytes`: when a block's transformed input and
    /// products fit in it, and the blocks share out evenly: each thread gets at least 4 (fewer
    /// leave threads idle at the end, where the bands share out the `alpha^2` products
    /// instead), or all get the same number.
    ///
    /// On a Zen 3 (512 KiB per core; `diffdub-bench convshapes single ... schedule=bands,tiles`,
    /// CPU ms, bands / tiles, with the 8 x 8 transposes of ``TileOctet`` in both): 128 -> 128 at
    /// 256^2 F(6x6) 89-90 / 86-90 (its 64 x 160 x 24 floats, 983 KB, do not fit), F(4x4) 108-115
    /// / 97-100; at 128^2 F(6x6) 25-32 / 23-31; 256 -> 256 at 64^2 19-20 / 22; and a whole UNet
    /// call 3.8-4.0 s of CPU in bands against 4.0-4.2 with every layer of enough blocks in tiles.
    /// Blocks that spill to the third-level cache read their input rows in short runs (a
    /// segment of 24 tiles per channel) that the prefetchers do not follow, which costs what the
    /// fusion saves. On a Zen 4 (1 MiB), with bfloat16 products (a block keeps one chunk of
    /// channels in float32, ``transformedChannels``), 2 threads, wall ms, bands / tiles:
    /// 512 -> 512 at 16^2 (2 blocks) 2.1-2.4 / 1.7-2.3, 1024 -> 512 at 16^2 4.3-4.5 / 3.5-3.8;
    /// at 8^2 (1 block) 0.6-0.9 / 1.2-1.6.
    func prefersTiles(threads: Int, cacheBytes: Int = secondLevelCacheBytes) -> Bool {
        layout.prefersTiles(threads: threads, cacheBytes: cacheBytes)
    }

    /// Input channels whose column transform runs as one call (one run of `channelChunk x panel
    /// width` values per line, instead of one short call per channel).
    static var channelChunk: Int { 8 }

    /// Convolves one image `input` `[C, H, W]` into `output` `[O, Ho, Wo]`, adding `bias` and,
    /// when given, `residual` (`[O, Ho, Wo]`, the sum of a residual block).
    func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
        residual: UnsafePointer<Float>? = nil
    ) {
        let (tileBlock, granularity, bf16) = (self.tileBlock, panelGranularity, weights.bfloat16 != nil)
        let (alpha, m) = (Transform.inputTile, Transform.outputTile)
        parallelFor(blockCount, minimumChunk: 1) { range in
            let buffers = TileBlockBuffers(
                channels: channels, transformedChannels: transformedChannels, outputBlock: outputBlock, channelChunk: Self.channelChunk, alpha: alpha,
                outputTile: m, tileBlock: tileBlock, bf16: bf16)
            defer { buffers.deallocate() }
            for block in range {
                let first = block * tileBlock
                let segments = TileSegments(
                    first: first, count: min(tileBlock, tiles - first), tileColumns: tileColumns,
                    granularity: granularity)
                transformInput(input, segments: segments, buffers: buffers)
                var firstOutput = 0
                while firstOutput < outChannels {
                    let group = firstOutput..<min(outChannels, firstOutput + outputBlock)
                    multiply(group, panelWidth: segments.panelWidth, buffers: buffers)
                    transformOutput(
                        group, output: output, bias: bias, residual: residual, segments: segments, buffers: buffers)
                    firstOutput += outputBlock
                }
            }
        }
    }

    /// `V[k][c] = (B^T d_c B)[k]` for the block's tiles, every channel, in panel layout
    /// (`[alpha^2][C][panel width]`, zero in the padding tiles).
    ///
    /// Per channel and tile row of the block: `B^T` combines the `alpha` input rows over the
    /// segment's columns (straight from the image inside it, from a zero-padded copy at its
    /// edges), and the combined lines are split into per-offset columns of the block's tiles
    /// (``transposeTiles(line:tileStride:tiles:count:columns:columnStride:toColumns:)``). Per
    /// chunk of ``channelChunk`` channels, `B` then combines the columns into the `alpha^2`
    /// panels, where the chunk's rows are consecutive.
    private func transformInput(_ input: UnsafePointer<Float>, segments: TileSegments, buffers: TileBlockBuffers) {
        if Transform.outputTile == 2 {
            transformInputF2(input, segments: segments, buffers: buffers)
            return
        }
        let (alpha, m) = (Transform.inputTile, Transform.outputTile)
        let panelWidth = segments.panelWidth
        let matrix = transformedStride(panelWidth: panelWidth)
        let (lines, combined, columns, stride) = (buffers.lines, buffers.combined, buffers.columns, buffers.lineCapacity)
        var firstChannel = 0
        while firstChannel < channels {
            let chunk = min(Self.channelChunk, channels - firstChannel)
            // columns[i][s][c][t]: offset s of tile t's line i of channel c of the chunk.
            let chunkValues = chunk * panelWidth
            if segments.count < panelWidth {
                // Padding tiles: zero columns, so their transformed values are zero.
                for line in 0..<(alpha * alpha * chunk) {
                    (columns + line * panelWidth + segments.count).update(
                        repeating: 0, count: panelWidth - segments.count)
                }
            }
            for c in 0..<chunk {
                let plane = input + (firstChannel + c) * height * width
                if firstChannel + c + Self.prefetchDistance < channels {
                    prefetchRows(of: plane + Self.prefetchDistance * height * width, rows: alpha, segments: segments)
                }
                for segment in segments.runs {
                    let lineWidth = m * segment.count + 2
                    let (x0, y0) = (m * segment.column - padding, m * segment.row - padding)
                    transformRows(
                        plane, firstRow: y0, firstColumn: x0, count: lineWidth, lines: lines, combined: combined,
                        stride: stride)
                    for i in 0..<alpha {
                        transposeTiles(
                            line: combined + i * stride, tileStride: m, tiles: segment.count, count: alpha,
                            columns: columns + (i * alpha * chunk + c) * panelWidth + segment.offset,
                            columnStride: chunkValues, toColumns: true)
                    }
                }
            }
            let bf16 = weights.bfloat16 != nil
            let target = buffers.transformed + (bf16 ? 0 : firstChannel * panelWidth)
            for i in 0..<alpha {
                Transform.transformInput(
                    WinogradLines(columns + i * alpha * chunkValues, stride: chunkValues),
                    into: WinogradLines(target + alpha * i * matrix, stride: matrix), count: chunkValues)
            }
            if bf16 { packChunk(firstChannel..<(firstChannel + chunk), panelWidth: panelWidth, buffers: buffers) }
            firstChannel += chunk
        }
    }

    /// ``transformInput(_:segments:buffers:)`` for `F(2x2)`: per channel and segment, the 4 input
    /// rows (zero-padded where they leave the image) copied to the block's lines, and
    /// ``WinogradF2Tiles/transformInput(lines:stride:count:into:matrixStride:)`` from there.
    private func transformInputF2(_ input: UnsafePointer<Float>, segments: TileSegments, buffers: TileBlockBuffers) {
        let panelWidth = segments.panelWidth
        let matrix = transformedStride(panelWidth: panelWidth)
        let (lines, stride) = (buffers.lines, buffers.lineCapacity)
        let bf16 = weights.bfloat16 != nil
        for c in 0..<channels {
            let plane = input + c * height * width
            if c + Self.prefetchDistance < channels {
                prefetchRows(of: plane + Self.prefetchDistance * height * width, rows: 4, segments: segments)
            }
            let target = buffers.transformed + (bf16 ? c % Self.channelChunk : c) * panelWidth
            for segment in segments.runs {
                let (y0, x0) = (2 * segment.row - padding, 2 * segment.column - padding)
                // What the groups of 8 tiles load: straight from the image when it is all inside.
                let loaded = 2 * ((segment.count + 7) / 8 * 8) + 2
                if y0 >= 0 && y0 + 4 <= height && x0 >= 0 && x0 + loaded <= width {
                    WinogradF2Tiles.transformInput(
                        lines: plane + y0 * width + x0, stride: width, count: segment.count,
                        into: target + segment.offset, matrixStride: matrix)
                    continue
                }
                loadWindow(
                    plane, firstRow: y0, firstColumn: x0, rows: 4, columns: 2 * segment.count + 2, into: lines,
                    stride: stride)
                WinogradF2Tiles.transformInput(
                    lines: lines, stride: stride, count: segment.count, into: target + segment.offset,
                    matrixStride: matrix)
            }
            if segments.count < panelWidth {
                // Padding tiles: zero, as their products.
                for k in 0..<Self.products {
                    (target + k * matrix + segments.count).update(repeating: 0, count: panelWidth - segments.count)
                }
            }
            if bf16 && (c % Self.channelChunk == Self.channelChunk - 1 || c == channels - 1) {
                packChunk((c - c % Self.channelChunk)..<(c + 1), panelWidth: panelWidth, buffers: buffers)
            }
        }
    }

    /// Channels ahead of the one being transformed whose rows are prefetched.
    static var prefetchDistance: Int { 4 }

    /// Prefetch hints for the `rows` image rows of each of the block's segments in `plane` (the
    /// rows a segment's input transform reads): a block reads each channel's rows in runs of a
    /// few hundred bytes, `H x W` floats apart, which the hardware prefetchers do not follow.
    ///
    /// Zen 4, one thread (`diffdub-bench convshapes single tuned ... schedule=tiles`, with and
    /// without, alternated 3 times, best ms): F(2x2) with bf16 products 128 -> 128 at 256^2
    /// 70.5-71.0 against 74.0-75.1, 128 -> 3 at 256^2 18.3-19.2 against 23.6-23.8, 256 -> 256
    /// at 64^2 12.5-12.6 against 13.4-13.6; float32 F(4x4) and F(6x6) within the noise (F(4x4)
    /// 128 -> 3 12.8-12.9 against 13.4-13.6), their per-channel work being 2-3 times longer.
    @inline(__always)
    func prefetchRows(of plane: UnsafePointer<Float>, rows: Int, segments: TileSegments) {
        let m = Transform.outputTile
        for segment in segments.runs {
            let (y0, x0) = (m * segment.row - padding, max(0, m * segment.column - padding))
            let x1 = min(width, m * (segment.column + segment.count) + 2 - padding)
            guard x1 > x0 else { continue }
            for y in max(0, y0)..<min(height, y0 + rows) {
                let row = plane + y * width
                // One hint per 64-byte line, the last value included.
                for x in Swift.stride(from: x0, to: x1, by: 16) { diffdub_prefetch(row + x) }
                diffdub_prefetch(row + x1 - 1)
            }
        }
    }

    /// Output channels ahead of the one being written whose rows are prefetched.
    static var outputPrefetchDistance: Int { 8 }

    /// Write prefetch hints for the rows of output channel `o` that the block's tiles cover
    /// (and read hints for the same rows of `residual`). A block writes each output channel's
    /// rows in runs of a few hundred bytes, a plane apart: without the hints the stores wait
    /// for each line to be read in (`perf annotate`: 40 % of the F(2x2) output transform on the
    /// stores of the interleaving). Zen 4, one thread, alternated (best ms, with / without
    /// hints 8 channels ahead): bf16 F(2x2) 128 -> 128 at 256^2 63.3-65.0 / 69.5-73.7; float32
    /// F(4x4) 61.8-64.1 / 64.0-67.1, F(6x6) 57.6-63.0 / 59.6-65.2; hints for the whole group at
    /// once gained about half as much.
    @inline(__always)
    func prefetchOutputRows(
        _ o: Int, output: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?, segments: TileSegments
    ) {
        let m = Transform.outputTile
        let offset = o * outHeight * outWidth
        for segment in segments.runs {
            let x0 = m * segment.column
            let x1 = min(outWidth, m * (segment.column + segment.count))
            for y in (m * segment.row)..<min(outHeight, m * segment.row + m) {
                let start = offset + y * outWidth
                for x in Swift.stride(from: x0, to: x1, by: 16) {
                    diffdub_prefetch_for_writing(output + start + x)
                    if let residual { diffdub_prefetch(residual + start + x) }
                }
                diffdub_prefetch_for_writing(output + start + x1 - 1)
                if let residual { diffdub_prefetch(residual + start + x1 - 1) }
            }
        }
    }

    /// `B^T` over the `alpha` image rows from `firstRow` on, at `count` positions from column
    /// `firstColumn` on (zero outside the image), into the lines of `combined`: the positions
    /// inside the image straight from its rows, those in the padding (and rows past its edges)
    /// through zero-padded copies in `lines`.
    @inline(__always)
    private func transformRows(
        _ plane: UnsafePointer<Float>, firstRow: Int, firstColumn: Int, count: Int, lines: UnsafeMutablePointer<Float>,
        combined: UnsafeMutablePointer<Float>, stride: Int
    ) {
        let alpha = Transform.inputTile
        func padded(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            loadWindow(
                plane, firstRow: firstRow, firstColumn: firstColumn + range.lowerBound, rows: alpha,
                columns: range.count, into: lines, stride: stride)
            Transform.transformInput(
                WinogradLines(lines, stride: stride), into: WinogradLines(combined + range.lowerBound, stride: stride),
                count: range.count)
        }
        guard firstRow >= 0 && firstRow + alpha <= height else {
            padded(0..<count)
            return
        }
        // Positions whose columns lie inside the image.
        let start = min(count, max(0, -firstColumn))
        let end = max(start, min(count, width - firstColumn))
        if end > start {
            Transform.transformInput(
                WinogradLines(reading: plane + firstRow * width + firstColumn + start, stride: width),
                into: WinogradLines(combined + start, stride: stride), count: end - start)
        }
        padded(0..<start)
        padded(end..<count)
    }

    /// Copies `rows x columns` values of `plane` from (`firstRow`, `firstColumn`) on (either may
    /// lie outside the image) into lines `stride` apart, zero outside the image.
    func loadWindow(
        _ plane: UnsafePointer<Float>, firstRow: Int, firstColumn: Int, rows: Int, columns: Int,
        into lines: UnsafeMutablePointer<Float>, stride: Int
    ) {
        let start = min(columns, max(0, -firstColumn))
        let end = max(start, min(columns, width - firstColumn))
        for r in 0..<rows {
            let line = lines + r * stride
            let y = firstRow + r
            guard y >= 0 && y < height && end > start else {
                line.update(repeating: 0, count: columns)
                continue
            }
            if start > 0 { line.update(repeating: 0, count: start) }
            (line + start).update(from: plane + y * width + firstColumn + start, count: end - start)
            if end < columns { (line + end).update(repeating: 0, count: columns - end) }
        }
    }

    /// Rounds the float32 `V[k]` of the block's chunk of `channels` (the buffer holds one chunk
    /// with bfloat16 products) to bfloat16 pairs in their place of the packed `V[k]`
    /// (`[alpha^2][C / 2][panel width][2]`), while they are still in the first-level cache.
    ///
    /// - Precondition: `channels` starts at a multiple of ``channelChunk`` (an even channel).
    private func packChunk(_ channels: Range<Int>, panelWidth: Int, buffers: TileBlockBuffers) {
        let (matrixV, packedMatrix) = (transformedStride(panelWidth: panelWidth), packedStride(panelWidth: panelWidth))
        let firstPair = channels.lowerBound / 2 * panelWidth * 2
        for k in 0..<Self.products {
            BF16Products.pack(
                buffers.transformed + k * matrixV, depthStride: panelWidth, countStride: 1, depth: channels.count,
                count: panelWidth, width: panelWidth, into: buffers.packed! + k * packedMatrix + firstPair)
        }
    }

    /// `M[k][o] = U[k][o, :] V[k]` for the output channels of `group` (`[alpha^2][group][panel
    /// width]`), `k` outside so that each `V[k]` panel stays in the first-level cache while the
    /// group's weight panels stream past.
    private func multiply(_ group: Range<Int>, panelWidth: Int, buffers: TileBlockBuffers) {
        let (products, block) = (Self.products, rowBlock)
        // Whole row blocks: the weights' padding rows are zero, and M has room for them.
        let rows = (group.count + block - 1) / block * block
        let matrixM = rows * panelWidth + TileBlockBuffers.padding
        if let reducedWeights = weights.bfloat16 {
            let (pairs, matrixU) = (reducedWeights.pairs, reducedWeights.matrixCount)
            let packedMatrix = packedStride(panelWidth: panelWidth)
            for k in 0..<products {
                let (u, v, m) = (
                    reducedWeights.values + k * matrixU, buffers.packed! + k * packedMatrix, buffers.products + k * matrixM
                )
                for row in stride(from: 0, to: rows, by: block) {
                    BF16Products.multiply(
                        pairs: pairs, a: u + (group.lowerBound + row) * pairs * 2, b: v, width: panelWidth,
                        c: m + row * panelWidth, ldc: panelWidth, rows: block, columns: panelWidth)
                }
            }
            return
        }
        let weights = self.weights.float32!
        let (matrixU, matrixV) = (weights.paddedOutChannels * channels, transformedStride(panelWidth: panelWidth))
        for k in 0..<products {
            let (u, v, m) = (weights.values + k * matrixU, buffers.transformed + k * matrixV, buffers.products + k * matrixM)
            for row in stride(from: 0, to: rows, by: block) {
                PackedProducts.multiply(
                    depth: channels, a: u + (group.lowerBound + row) * channels, b: v, width: panelWidth,
                    c: m + row * panelWidth, ldc: panelWidth)
            }
        }
    }

    /// `y = A^T M A + bias (+ residual)` for the output channels of `group` and the block's
    /// tiles, written where they fall inside the output.
    ///
    /// Each stage runs over the whole group at once (its lines hold every channel's tiles back
    /// to back). The bias goes in before the transform, on `M[alpha + 1]`: the product at the
    /// interpolation point 1 (index 1 in every ``WinogradTransform``), whose column of `A^T` is
    /// all ones, so that it reaches every output once.
    private func transformOutput(
        _ group: Range<Int>, output: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
        residual: UnsafePointer<Float>?, segments: TileSegments, buffers: TileBlockBuffers
    ) {
        let (alpha, m) = (Transform.inputTile, Transform.outputTile)
        let panelWidth = segments.panelWidth
        let block = rowBlock
        let groupValues = (group.count + block - 1) / block * block * panelWidth + TileBlockBuffers.padding
        if m == 2 {
            transformOutputF2(
                group, output: output, bias: bias, residual: residual, segments: segments, buffers: buffers,
                groupValues: groupValues)
            return
        }
        let count = group.count * panelWidth
        let (products, partial, columns) = (buffers.products, buffers.partial, buffers.outputColumns)
        if let bias {
            let uniform = products + (alpha + 1) * groupValues
            for o in 0..<group.count {
                let (line, b) = (uniform + o * panelWidth, FloatVector(repeating: bias[group.lowerBound + o]))
                for t in Swift.stride(from: 0, to: panelWidth, by: FloatVector.scalarCount) {
                    line.storeVector(UnsafePointer(line).loadVector(at: t) + b, at: t)
                }
            }
        }
        // Rows: partial[r][j] = sum_i A^T[r, i] M[alpha i + j], every channel and tile.
        for j in 0..<alpha {
            Transform.transformOutput(
                WinogradLines(products + j * groupValues, stride: alpha * groupValues),
                into: WinogradLines(partial + j * groupValues, stride: alpha * groupValues), bias: 0, count: count)
        }
        for r in 0..<m {
            // Columns: y[r][cc] = sum_j partial[r][j] A[j, cc].
            Transform.transformOutput(
                WinogradLines(partial + alpha * r * groupValues, stride: groupValues),
                into: WinogradLines(columns + m * r * groupValues, stride: groupValues), bias: 0, count: count)
        }
        for o in 0..<group.count {
            if group.lowerBound + o + Self.outputPrefetchDistance < outChannels {
                prefetchOutputRows(
                    group.lowerBound + o + Self.outputPrefetchDistance, output: output, residual: residual,
                    segments: segments)
            }
            let offset = (group.lowerBound + o) * outHeight * outWidth
            let plane = output + offset
            for r in 0..<m {
                let lineColumns = columns + m * r * groupValues + o * panelWidth
                for segment in segments.runs {
                    let y = m * segment.row + r
                    guard y < outHeight else { continue }
                    let (start, count) = (y * outWidth + m * segment.column, min(m * segment.count, outWidth - m * segment.column))
                    interleave(
                        lineColumns + segment.offset, columnStride: groupValues, tiles: segment.count,
                        into: plane + start, count: count)
                    if let residual { addResidual(residual + offset + start, to: plane + start, count: count) }
                }
            }
        }
    }

    /// ``transformOutput(_:output:bias:residual:segments:buffers:)`` for `F(2x2)`: per output
    /// channel and segment, both output rows of the segment's tiles straight from the products
    /// (``WinogradF2Tiles/transformOutput(products:matrixStride:count:bias:row0:row1:residual0:residual1:values:)``).
    private func transformOutputF2(
        _ group: Range<Int>, output: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
        residual: UnsafePointer<Float>?, segments: TileSegments, buffers: TileBlockBuffers, groupValues: Int
    ) {
        let panelWidth = segments.panelWidth
        for o in 0..<group.count {
            let channel = group.lowerBound + o
            if channel + Self.outputPrefetchDistance < outChannels {
                prefetchOutputRows(
                    channel + Self.outputPrefetchDistance, output: output, residual: residual, segments: segments)
            }
            let plane = channel * outHeight * outWidth
            for segment in segments.runs {
                let y = 2 * segment.row
                let start = plane + y * outWidth + 2 * segment.column
                let second = y + 1 < outHeight
                WinogradF2Tiles.transformOutput(
                    products: buffers.products + o * panelWidth + segment.offset, matrixStride: groupValues,
                    count: segment.count, bias: bias?[channel] ?? 0, row0: output + start,
                    row1: second ? output + start + outWidth : nil, residual0: residual.map { $0 + start },
                    residual1: second ? residual.map { $0 + start + outWidth } : nil,
                    values: min(2 * segment.count, outWidth - 2 * segment.column))
            }
        }
    }

    /// Writes `count` values of one output row from per-offset columns (`columns[cc *
    /// columnStride + t]` is value `m t + cc`), nothing past `row[count - 1]`: the interleaving
    /// (``transposeTiles(line:tileStride:tiles:count:columns:columnStride:toColumns:)``) writes
    /// 8 values from each tile's start, `8 - m` past the tile, so it takes the tiles whose
    /// overhang stays inside the row, and the others are written one value at a time (after it,
    /// over what it wrote past its last tile).
    @inline(__always)
    private func interleave(
        _ columns: UnsafeMutablePointer<Float>, columnStride: Int, tiles: Int, into row: UnsafeMutablePointer<Float>,
        count: Int
    ) {
        let m = Transform.outputTile
        let direct = max(0, min(tiles, (count - 8 + m) / m))
        transposeTiles(
            line: row, tileStride: m, tiles: direct, count: m, columns: columns, columnStride: columnStride,
            toColumns: false)
        for t in direct..<tiles {
            for cc in 0..<min(m, count - m * t) { row[m * t + cc] = columns[cc * columnStride + t] }
        }
    }
}

/// The runs of consecutive tiles in one tile row that make up a block of tiles (row-major
/// order): a block of 24 tiles spans one tile row or a few.
struct TileSegments {
    /// One run of tiles within a tile row.
    struct Segment {
        /// Tile row.
        let row: Int
        /// First tile column.
        let column: Int
        /// Tiles in the run.
        let count: Int
        /// Position of the run's first tile in the block.
        let offset: Int
    }

    /// Tiles in the block.
    let count: Int
    /// The runs, in order.
    let runs: [Segment]

    /// Granularity of ``panelWidth``.
    let granularity: Int

    /// The `count` tiles from row-major index `first` on, in tile rows of `tileColumns`, for a
    /// product kernel whose panel widths are multiples of `granularity`.
    init(first: Int, count: Int, tileColumns: Int, granularity: Int = PackedProducts.columnGranularity) {
        self.count = count
        self.granularity = granularity
        var runs: [Segment] = []
        var (tile, offset) = (first, 0)
        while tile < first + count {
            let (row, column) = (tile / tileColumns, tile % tileColumns)
            let run = min(first + count - tile, tileColumns - column)
            runs.append(Segment(row: row, column: column, count: run, offset: offset))
            (tile, offset) = (tile + run, offset + run)
        }
        self.runs = runs
    }

    /// The block's width in the product kernel: its tile count rounded up to a multiple of
    /// ``granularity``.
    var panelWidth: Int { (count + granularity - 1) / granularity * granularity }
}

/// The scratch memory of one thread of a ``WinogradTileConvolution``, allocated once per
/// thread and call: about `alpha^2 * (C + 3 * outputBlock) * tileBlock` values (and `V` again
/// in bfloat16 for bfloat16 products).
struct TileBlockBuffers {
    /// `V` in float32: `[alpha^2][C][panel width]`, or one chunk of channels
    /// (``WinogradTileConvolution/transformedChannels``) for bfloat16 products.
    let transformed: UnsafeMutablePointer<Float>
    /// `V` as bfloat16 pairs, `[alpha^2][(C + 1) / 2][panel width][2]`, for bfloat16 products.
    let packed: UnsafeMutablePointer<UInt16>?
    /// `M` of one output group: `[alpha^2][outputBlock][panel width]`.
    let products: UnsafeMutablePointer<Float>
    /// Input rows copied with zero padding (`alpha` lines of ``lineCapacity``).
    let lines: UnsafeMutablePointer<Float>
    /// `B^T` over the rows (`alpha` lines of ``lineCapacity``).
    let combined: UnsafeMutablePointer<Float>
    /// Per-offset columns of a chunk of channels, `[alpha][alpha][chunk][panel width]`.
    let columns: UnsafeMutablePointer<Float>
    /// `A^T M` of one output group, `[m][alpha][outputBlock][panel width]`.
    let partial: UnsafeMutablePointer<Float>
    /// `y` of one output group as per-column lines, `[m][m][outputBlock][panel width]`.
    let outputColumns: UnsafeMutablePointer<Float>
    /// Values per line of ``lines`` and ``combined``: a segment of `tileBlock` tiles, plus what
    /// the splitting into columns reads past its last tile.
    let lineCapacity: Int

    init(
        channels: Int, transformedChannels: Int, outputBlock: Int, channelChunk: Int, alpha: Int, outputTile m: Int,
        tileBlock: Int, bf16: Bool = false
    ) {
        let (products, padding) = (alpha * alpha, Self.padding)
        packed = bf16 ? .allocate(capacity: products * (BF16Products.pairs(channels) * 2 * tileBlock + 2 * padding)) : nil
        lineCapacity = m * tileBlock + 2 + 8
        transformed = .allocate(capacity: products * (transformedChannels * tileBlock + padding))
        // 8 more: the F(2x2) output transform loads 8 tiles at a time past a segment's last one.
        let group = outputBlock * tileBlock + padding
        self.products = .allocate(capacity: products * group + 8)
        lines = .allocate(capacity: alpha * lineCapacity)
        combined = .allocate(capacity: alpha * lineCapacity)
        columns = .allocate(capacity: products * channelChunk * tileBlock)
        partial = .allocate(capacity: m * alpha * group)
        outputColumns = .allocate(capacity: m * m * group)
    }

    /// Values past each matrix of a block buffer (`V[k]`, `M[k]`; twice as many bfloat16
    /// values), before the next: one cache line, so that the `alpha^2` values of a tile, a
    /// matrix apart, fall in different sets of the first-level cache. Without it the matrices
    /// of 128 channels x 32 tiles are 16 KiB apart, and every multiple of 4 KiB maps to the
    /// same set of a 32 KiB, 8-way cache: the 16 to 64 stores of a tile's transform evict one
    /// another.
    static var padding: Int { 16 }

    /// Frees every buffer.
    func deallocate() {
        for buffer in [transformed, products, lines, combined, columns, partial, outputColumns] { buffer.deallocate() }
        packed?.deallocate()
    }
}

/// The second-level cache of one core in bytes, as the C library reports it (512 KiB when it
/// does not).
let secondLevelCacheBytes: Int = {
    #if os(Linux)
        let reported = sysconf(Int32(_SC_LEVEL2_CACHE_SIZE))
        return reported > 0 ? reported : 512 << 10
    #else
        return 512 << 10
    #endif
}()
