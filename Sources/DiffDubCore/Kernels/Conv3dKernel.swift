/// Extents of a 3-D window along depth, height and width (kernel sizes, strides, paddings).
package struct Extent3: Sendable, Equatable {
    /// Along the depth (time) axis.
    package var depth: Int
    /// Along the height axis.
    package var height: Int
    /// Along the width axis.
    package var width: Int

    /// Depth, height and width.
    package init(_ depth: Int, _ height: Int, _ width: Int) {
        self.depth = depth
        self.height = height
        self.width = width
    }

    /// The same extent on every axis.
    package init(all extent: Int) { self.init(extent, extent, extent) }
}

/// 3-D convolution (cross-correlation, as PyTorch's `Conv3d`): `x` `[N, C, D, H, W]`, `weight`
/// `[O, C, kd, kh, kw]`, `bias` `[O]` -> `[N, O, Do, Ho, Wo]` with
/// `Do = (D + 2 pd - kd) / sd + 1` (likewise `Ho`, `Wo`) and
/// `y[n, o, t, i, j] = bias[o] + sum_{c, a, u, v} weight[o, c, a, u, v] * x[n, c, t*sd + a - pd, i*sh + u - ph, j*sw + v - pw]`
/// (out-of-range input reads as zero).
///
/// A kernel of depth 2 or more with depth stride 1 and no depth padding, over at least 4 output
/// slices, runs as Winograd along the depth (``Conv3dAlgorithm/temporalWinograd``: groups of 4
/// consecutive output slices from `3 + kd` planar products instead of `4 kd`). Otherwise each
/// output depth slice `(n, t)` is a product `[O, C*kd*kh*kw] x [C*kd*kh*kw, rows*Wo]`
/// over bands of output rows unfolded (im2col) into a column buffer of at most
/// `columnBufferBytes`; when a whole output plane fits, as many consecutive slices of a volume
/// as fit are unfolded side by side into one product (a kernel that covers the whole plane reads
/// its weight once per tile, not once per slice). With at least as many tiles as threads the
/// tiles run side by side, each with single-threaded products; otherwise one tile at a time with
/// the products split over the threads.
package func conv3d(
    _ x: Tensor, weight: Tensor, bias: Tensor?, stride: Extent3 = Extent3(all: 1),
    padding: Extent3 = Extent3(all: 0), columnBufferBytes: Int = 4 << 20
) -> Tensor {
    conv3d(
        x, weight: weight, bias: bias, stride: stride, padding: padding, algorithm: .automatic,
        columnBufferBytes: columnBufferBytes)
}

/// ``conv3d(_:weight:bias:stride:padding:columnBufferBytes:)`` with a chosen algorithm.
///
/// - Precondition: ``Conv3dAlgorithm/temporalWinograd`` needs depth stride 1 and no depth
///   padding.
package func conv3d(
    _ x: Tensor, weight: Tensor, bias: Tensor?, stride: Extent3 = Extent3(all: 1),
    padding: Extent3 = Extent3(all: 0), algorithm: Conv3dAlgorithm, columnBufferBytes: Int = 4 << 20
) -> Tensor {
    precondition(x.rank == 5, "conv3d: input must be [N, C, D, H, W], got \(x.shape)")
    precondition(weight.rank == 5, "conv3d: weight must be [O, C, kd, kh, kw], got \(weight.shape)")
    precondition(
        weight.shape[1] == x.shape[1],
        "conv3d: weight \(weight.shape) expects \(weight.shape[1]) channels, input is \(x.shape)")
    precondition(
        stride.depth >= 1 && stride.height >= 1 && stride.width >= 1,
        "conv3d: stride \(stride) must be at least 1")
    precondition(
        padding.depth >= 0 && padding.height >= 0 && padding.width >= 0, "conv3d: negative padding \(padding)")
    precondition(
        x.shape[2] + 2 * padding.depth >= weight.shape[2] && x.shape[3] + 2 * padding.height >= weight.shape[3]
            && x.shape[4] + 2 * padding.width >= weight.shape[4],
        "conv3d: kernel \(weight.shape) larger than padded input \(x.shape) (padding \(padding))")
    if let bias {
        precondition(bias.count == weight.shape[0], "conv3d: bias \(bias.shape) for weight \(weight.shape)")
    }
    let geometry = VolumeColumns(
        channels: x.shape[1], depth: x.shape[2], height: x.shape[3], width: x.shape[4],
        kernel: Extent3(weight.shape[2], weight.shape[3], weight.shape[4]), stride: stride, padding: padding)
    var chosen = algorithm
    if algorithm == .automatic {
        if Conv3dAlgorithm.prefersTemporalWinograd(
            kernel: geometry.kernel, stride: stride, padding: padding, outDepth: geometry.outDepth)
        {
            chosen = .temporalWinograd
        }
    }
    switch chosen {
    case .temporalWinograd:
        return conv3dTemporalWinograd(x, weight: weight, bias: bias, stride: stride, padding: padding)
    case .planarWinograd:
        precondition(
            geometry.kernel.depth == 1 && geometry.kernel.height == geometry.kernel.width && stride == Extent3(all: 1)
                && padding.depth == 0,
            "conv3d: planar Winograd needs a [O, C, 1, r, r] kernel, stride 1 and no depth padding")
        return conv3dPlanarWinograd(
            x, weight: weight, bias: bias, padding: padding, outputs: Conv3dAlgorithm.planarWinogradOutputs)
    case .automatic, .im2col:
        break
    }
    let (batch, outChannels) = (x.shape[0], weight.shape[0])
    let (result, y) = makeUninitializedOutput(
        [batch, outChannels, geometry.outDepth, geometry.outHeight, geometry.outWidth])
    let outPlane = geometry.outHeight * geometry.outWidth
    let outVolume = geometry.outDepth * outPlane
    let inVolume = geometry.channels * geometry.depth * geometry.height * geometry.width
    let patch = geometry.patch
    let floatBytes = MemoryLayout<Float>.stride
    let tileRows = max(
        1, min(geometry.outHeight, columnBufferBytes / max(1, patch * geometry.outWidth * floatBytes)))
    // Small planes: consecutive depth slices of a volume side by side in one product (their
    // outputs lie side by side too, `[O, D*Ho*Wo]` with row stride `outVolume`), so a kernel that
    // covers the whole plane (a product per slice with one column) reads its weight once per tile.
    let slicesPerTile =
        tileRows < geometry.outHeight
        ? 1 : max(1, min(geometry.outDepth, columnBufferBytes / max(1, patch * outPlane * floatBytes)))
    let depthTiles = (geometry.outDepth + slicesPerTile - 1) / slicesPerTile
    let px = x.readPointer
    let pw = weight.readPointer
    let pb = bias?.readPointer
    let tiles = batch * depthTiles

    /// One tile of output depth slices: bias, then the products (beta 1 onto the bias), over
    /// bands of rows for a single slice.
    func convolveTile(
        _ tile: Int, columns: UnsafeMutablePointer<Float>, parallelPack: Bool, multiply: GEMMCall
    ) {
        let (n, t0) = (tile / depthTiles, (tile % depthTiles) * slicesPerTile)
        let count = min(slicesPerTile, geometry.outDepth - t0)
        let input = px + n * inVolume
        let output = y + n * outChannels * outVolume + t0 * outPlane
        for o in 0..<outChannels {
            (output + o * outVolume).update(repeating: pb?[o] ?? 0, count: count * outPlane)
        }
        if count > 1 {
            let tileWidth = count * outPlane
            for k in 0..<count {
                geometry.pack(
                    input: input, outDepth: t0 + k, firstRow: 0, rows: geometry.outHeight, into: columns + k * outPlane,
                    rowStride: tileWidth, parallel: parallelPack)
            }
            multiply(false, false, outChannels, tileWidth, patch, 1, pw, patch, columns, tileWidth, 1, output, outVolume)
            return
        }
        var row0 = 0
        while row0 < geometry.outHeight {
            let rows = min(tileRows, geometry.outHeight - row0)
            let tileWidth = rows * geometry.outWidth
            geometry.pack(
                input: input, outDepth: t0, firstRow: row0, rows: rows, into: columns, rowStride: tileWidth,
                parallel: parallelPack)
            multiply(
                false, false, outChannels, tileWidth, patch, 1, pw, patch, columns, tileWidth, 1,
                output + row0 * geometry.outWidth, outVolume)
            row0 += rows
        }
    }

    let bufferCount = patch * max(tileRows * geometry.outWidth, slicesPerTile * outPlane)
    if tiles >= Parallelism.threadCount && Parallelism.threadCount > 1 {
        parallelFor(tiles, minimumChunk: 1) { range in
            let columns = UnsafeMutablePointer<Float>.allocate(capacity: bufferCount)
            defer { columns.deallocate() }
            for tile in range { convolveTile(tile, columns: columns, parallelPack: false, multiply: sgemmSingle) }
        }
    } else {
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: bufferCount)
        defer { columns.deallocate() }
        for tile in 0..<tiles {
            convolveTile(tile, columns: columns, parallelPack: true, multiply: sgemm)
        }
    }
    return result
}

/// The im2col layout of one volume `[C, D, H, W]` under a 3-D kernel.
struct VolumeColumns {
    let channels: Int
    let depth: Int
    let height: Int
    let width: Int
    let kernel: Extent3
    let stride: Extent3
    let padding: Extent3

    var outDepth: Int { (depth + 2 * padding.depth - kernel.depth) / stride.depth + 1 }
    var outHeight: Int { (height + 2 * padding.height - kernel.height) / stride.height + 1 }
    var outWidth: Int { (width + 2 * padding.width - kernel.width) / stride.width + 1 }
    /// Rows of the column matrix: `C * kd * kh * kw`.
    var patch: Int { channels * kernel.depth * kernel.height * kernel.width }

    /// `columns[((c*kd + a)*kh + u)*kw + v, r*Wo + j] =
    /// input[c, t*sd + a - pd, (firstRow + r)*sh + u - ph, j*sw + v - pw]`, zero outside, each
    /// row of the column matrix `rowStride` floats after the one before (at least `rows * Wo`).
    func pack(
        input: UnsafePointer<Float>, outDepth t: Int, firstRow: Int, rows: Int,
        into columns: UnsafeMutablePointer<Float>, rowStride: Int, parallel: Bool
    ) {
        let outWidth = self.outWidth
        let tileWidth = rows * outWidth
        let (kw, kh, kd) = (kernel.width, kernel.height, kernel.depth)
        let (sw, sh) = (stride.width, stride.height)
        let (pw, ph) = (padding.width, padding.height)
        let plane = height * width
        let body = { (range: Range<Int>) in
            for r in range {
                let v = r % kw
                let u = (r / kw) % kh
                let a = (r / (kw * kh)) % kd
                let c = r / (kw * kh * kd)
                let target = columns + r * rowStride
                let frame = t * stride.depth + a - padding.depth
                guard frame >= 0 && frame < depth else {
                    target.update(repeating: 0, count: tileWidth)
                    continue
                }
                let source = input + (c * depth + frame) * plane
                // Output columns j whose input column j*sw + v - pw lies inside [0, width).
                let jStart = min(outWidth, max(0, (pw - v + sw - 1) / sw))
                let jEnd = max(jStart, min(outWidth, (width + pw - v + sw - 1) / sw))
                for row in 0..<rows {
                    let line = target + row * outWidth
                    let inRow = (firstRow + row) * sh + u - ph
                    guard inRow >= 0 && inRow < height else {
                        line.update(repeating: 0, count: outWidth)
                        continue
                    }
                    let inLine = source + inRow * width + v - pw
                    if jStart > 0 { line.update(repeating: 0, count: jStart) }
                    if sw == 1 {
                        (line + jStart).update(from: inLine + jStart, count: jEnd - jStart)
                    } else {
                        for j in jStart..<jEnd { line[j] = inLine[j * sw] }
                    }
                    if jEnd < outWidth { (line + jEnd).update(repeating: 0, count: outWidth - jEnd) }
                }
            }
        }
        if parallel {
            parallelFor(patch, minimumChunk: max(1, elementwiseChunk / max(1, tileWidth)), body)
        } else {
            body(0..<patch)
        }
    }
}
