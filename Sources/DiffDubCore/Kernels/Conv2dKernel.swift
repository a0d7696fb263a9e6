/// How ``conv2d(_:weight:bias:padding:kernels:)`` bounds its im2col column buffer.
///
/// For a kernel larger than 1x1 the convolution unfolds the input into a column matrix
/// `[C * kh * kw, rows * Wo]` for a band of `rows` output rows at a time, so memory stays
/// bounded (a full unfolding of `[1, 128, 256, 256]` with a 3x3 kernel would take 300 MB).
package enum Conv2dTiling {
    /// Default upper bound of the column buffer, in bytes (16 MiB).
    package static let defaultColumnBufferBytes = 16 << 20

    /// Upper bound of each of the Winograd F(4x4, 3x3) band buffers (6 MiB; a smaller column
    /// buffer bound applies too). Bands that stay in cache between the transforms and the
    /// products: `convshapes single` 128 -> 128 at 256^2 88-92 ms with 4-6 MiB against 94-103 ms
    /// with 16 MiB, at 128^2 21-23 against 25-26 ms; 256 -> 256 at 64^2 about equal.
    package static let winogradF4BufferBytes = 6 << 20

    /// Upper bound of each of the Winograd F(6x6, 3x3) band buffers (12 MiB). Its tiles are
    /// fewer and larger, so a band of the same size gives products with fewer tiles; `convshapes
    /// single tuned` (portable build) with budgets of 4 / 6 / 9 / 12 / 16 MiB taking turns, best
    /// CPU ms: 128 -> 128 at 256^2 101 / 92 / 92 / 87 / 86, at 128^2 25.5 / 23.1 / 22.3 / 22.8 /
    /// 22.6, 256 -> 256 at 64^2 23.2 / 21.8 / 18.4 / 18.1 / 18.4 (one band from 9 MiB).
    package static let winogradF6BufferBytes = 12 << 20

    /// How a Winograd convolution schedules its stages (``KernelSettings/winogradSchedule``;
    /// benchmarks and tests choose one).
    package enum WinogradSchedule: String, Sendable, CaseIterable {
        /// ``WinogradTileConvolution`` where it has enough blocks of tiles for the threads
        /// (``WinogradTileConvolution/prefersTiles(threads:)``), ``WinogradBandConvolution``
        /// otherwise.
        case automatic
        /// Stage by stage over bands of tile rows (``WinogradBandConvolution``).
        case bands
        /// Fused per block of tiles (``WinogradTileConvolution``), wherever the packed kernel (or,
        /// for bfloat16 products, the bfloat16 kernel) runs.
        case tiles
    }

    /// Output rows per band: as many as fit in `columnBufferBytes`, at least 1, at most
    /// `outputHeight`.
    package static func rowsPerTile(
        inputChannels: Int, kernelHeight: Int, kernelWidth: Int, outputWidth: Int, outputHeight: Int,
        columnBufferBytes: Int = defaultColumnBufferBytes
    ) -> Int {
        let bytesPerRow = max(1, inputChannels * kernelHeight * kernelWidth * outputWidth * MemoryLayout<Float>.stride)
        return max(1, min(outputHeight, columnBufferBytes / bytesPerRow))
    }

    /// Output rows per band of the Winograd F(2x2, 3x3) path (an even number, two per tile row,
    /// except that it may cover the whole output): the tile rows spread evenly over as few bands
    /// as keep the transformed input `[C, 16, tiles]` and products `[O, 16, tiles]` within
    /// `bufferBytes` each.
    package static func winogradRowsPerBand(
        inputChannels: Int, outputChannels: Int, outputWidth: Int, outputHeight: Int,
        bufferBytes: Int = defaultColumnBufferBytes
    ) -> Int {
        let tileRows = WinogradBandConvolution<WinogradF2>.bandRows(
            channels: inputChannels, outChannels: outputChannels, tileColumns: (outputWidth + 1) / 2,
            tileRows: (outputHeight + 1) / 2, bufferBytes: bufferBytes)
        return 2 * tileRows
    }
}

/// How ``conv2d(_:weight:bias:padding:algorithm:columnBufferBytes:residual:kernels:)`` computes a convolution.
package enum Conv2dAlgorithm: Sendable, CaseIterable {
    /// Winograd for 3x3 kernels between enough channels, im2col (or a plain GEMM for 1x1)
    /// otherwise.
    case automatic
    /// Unfold bands of output rows (im2col) and multiply with `sgemm`.
    case im2col
    /// Winograd `F(2x2, 3x3)`: 2.25x fewer multiplications (3x3 kernels only); the weight
    /// transform (1.8x the weights) is computed once per weight tensor and kept with it.
    case winograd
    /// Winograd `F(4x4, 3x3)`: 4x fewer multiplications (3x3 kernels only); the weight
    /// transform (4x the weights) is computed once per weight tensor and kept with it.
    case winograd4x4
    /// Winograd `F(6x6, 3x3)`: 5.1x fewer multiplications (3x3 kernels only) on outputs whose
    /// sides are multiples of 6 (tiles overhanging the edge compute outputs that are dropped);
    /// rounding errors up to twice F(4x4)'s (`WinogradF6Tests`). The weight transform (7.1x the
    /// weights) is computed once per weight tensor and kept with it.
    case winograd6x6

    /// Whether ``automatic`` takes Winograd (which one: ``automaticWinograd(channels:outChannels:kernelHeight:kernelWidth:outputHeight:outputWidth:kernels:)``):
    /// for a 3x3 kernel with at least 32 input channels on an output of at least 16 x 16 pixels;
    /// im2col otherwise. Measured with `diffdub-bench convshapes tuned` (both threads, wall ms,
    /// im2col / F(2x2) / F(4x4) / F(6x6), packed products, AVX2 build): 128 -> 128 at 256^2
    /// 162 / 94 / 55 / 43, 256 -> 256 at 64^2 42 / 22 / 12.8 / 12.6, at 32^2 10.5 / 5.4 / 3.5 / 4.2,
    /// 512 -> 512 at 16^2 10.7 / 5.3 / 4.2 / 7.6, 1024 -> 512 at 16^2 20.6 / 10.4 / 8.3 / 14.1,
    /// 128 -> 3 at 256^2 56 / 40 / 16 / 18. At 8^2 F(2x2) also halves the time (512 -> 512:
    /// 3.4 / 1.7 ms), and F(4x4) would save another millisecond at 16^2, but their kept weight
    /// transforms (1.8x and 4x the weights) would take the released UNet's peak memory from
    /// 2.05 GB to 2.4 and 2.65 GB for 30 ms per call; 6 -> 128 at 256^2 (14 / 26 / 18 / 17) stays
    /// with im2col. The output channel count does not enter the rule. Never with
    /// ``KernelSettings/automaticUsesWinograd`` false (every convolution on im2col: the reference
    /// a model's fast path is checked against, `diffdub-bench unet-accuracy`).
    ///
    /// With bfloat16 products (`kernels.precision` ``Precision/bf16``) Winograd is taken from 8 x 8
    /// outputs: their F(2x2) transform in bfloat16 takes 16/9 x 2 bytes per weight, less than
    /// the float32 weights, and on a Zen 4 (one thread, best ms, im2col float32 / F(2x2)
    /// bfloat16) 512 -> 512 at 8^2 takes 3.9 / 1.1-1.2 and 768 -> 512 6.0 / 1.7-1.9.
    package static func prefersWinograd(
        channels: Int, outChannels: Int, kernelHeight: Int, kernelWidth: Int, outputPixels: Int,
        kernels: KernelSettings = .standard
    ) -> Bool {
        let smallest = kernels.productsUseBF16 ? 8 * 8 : 16 * 16
        return kernels.automaticUsesWinograd && kernelHeight == 3 && kernelWidth == 3 && channels >= 32
            && outputPixels >= smallest
    }

    /// Output sides from which ``automatic`` takes `F(6x6, 3x3)` over `F(4x4, 3x3)`.
    package static let winograd6x6MinimumSide = 64

    /// Output sides from which ``automatic`` takes `F(4x4, 3x3)` over `F(2x2, 3x3)`.
    package static let winograd4x4MinimumSide = 32

    /// The largest output side on which ``automatic`` always runs the Winograd products in
    /// bfloat16 when they are asked for (``Precision/bf16``); larger layers keep float32
    /// products, with the float32 tile (F(6x6)), where those run fused
    /// (``keepsFloat32(channels:outChannels:height:width:padding:threads:cacheBytes:)``).
    ///
    /// bfloat16 products keep to F(2x2) for accuracy (``KernelSettings/largestWinogradTileBF16``): 4 products
    /// per output at twice the float32 rate, against F(6x6)'s 1.78 in float32, so the bfloat16
    /// path wins only where F(6x6)'s tiles fit the image badly and its transforms cost most.
    /// Zen 4, one thread (`diffdub-bench convshapes single tuned [winograd precision=bf16]`,
    /// best ms, float32 automatic / bfloat16 F(2x2), fused schedule): 128 -> 128 at 256^2 58.2 /
    /// 69.6, at 128^2 15.4 / 15.7, 256 -> 256 at 64^2 14.8 / 12.4, at 32^2 3.8 / 3.1, 512 -> 512
    /// at 16^2 5.6 / 3.2, at 8^2 2.4 / 1.2, 1024 -> 512 at 16^2 10.7 / 6.8. Keeping float32 on
    /// the largest layers is also the more accurate choice.
    package static let bf16MaximumSide = 128

    /// Whether ``automatic`` keeps float32 products for a 3x3 layer of `channels -> outChannels`
    /// on `height x width` inputs padded by `padding` when bfloat16 ones are asked for: when its
    /// outputs are wider than ``bf16MaximumSide`` per side and float32 `F(6x6)` runs there in
    /// fused blocks (their float32 transformed input fits the second-level cache of `cacheBytes`
    /// and they share out over `threads`). Where it would run in bands, the bfloat16 `F(2x2)`
    /// fused blocks (which keep their input in bfloat16) are faster: Zen 4, one thread, best ms,
    /// 256 -> 128 at 256^2 (in every decoder level-0 block), bf16 F(2x2) fused 110-127 against
    /// float32 F(6x6) in bands 133-143; 128 -> 128 at 256^2, fused against fused, 57-66 against
    /// 56-67.
    package static func keepsFloat32(
        channels: Int, outChannels: Int, height: Int, width: Int, padding: Int, threads: Int = Parallelism.threadCount,
        cacheBytes: Int = secondLevelCacheBytes
    ) -> Bool {
        guard min(height, width) + 2 * padding - 2 > bf16MaximumSide else { return false }
        return !PackedProducts.isAvailable
            || WinogradTileConvolution<WinogradF6>.prefersTiles(
                channels: channels, outChannels: outChannels, height: height, width: width, padding: padding,
                bf16: false, threads: threads, cacheBytes: cacheBytes)
    }

    /// The Winograd algorithm ``automatic`` runs for a layer, or nil for im2col: none unless
    /// ``prefersWinograd(channels:outChannels:kernelHeight:kernelWidth:outputPixels:kernels:)``;
    /// `F(6x6, 3x3)` when both output sides are at least ``winograd6x6MinimumSide``, `F(4x4, 3x3)`
    /// from ``winograd4x4MinimumSide``, `F(2x2, 3x3)` below.
    ///
    /// F(6x6) does 21 % fewer multiplications than F(4x4) per output, but only on sides that are
    /// multiples of 6 (32: 6 tiles of 6 cover 36 pixels, as many products as F(4x4); 16: 3 tiles
    /// of 18), and its products have fewer tiles each. Measured with `diffdub-bench convshapes
    /// tuned` (wall ms, F(4x4) / F(6x6), packed products): 128 -> 128 at 256^2 55 / 43, at 128^2
    /// 16.2 / 15.3, 256 -> 256 at 64^2 12.8 / 12.6, at 32^2 3.5 / 4.2. F(6x6) keeps 7.1x the
    /// weights against 4x.
    ///
    /// With bfloat16 products (`kernels.precision` ``Precision/bf16``) the tile is chosen for accuracy as
    /// well: the input transform's values are rounded to 8 significant bits before the products,
    /// and the output transform amplifies that rounding the more the larger the tile (its
    /// coefficients reach 2^5 in F(6x6), 2^3 in F(4x4)); F(6x6) is taken from
    /// tiles up to ``KernelSettings/largestWinogradTileBF16`` only (Docs/PERFORMANCE.md has the
    /// errors per tile); float32 tiles up to ``KernelSettings/largestWinogradTile``.
    package static func automaticWinograd(
        channels: Int, outChannels: Int, kernelHeight: Int, kernelWidth: Int, outputHeight: Int, outputWidth: Int,
        kernels: KernelSettings = .standard
    ) -> Conv2dAlgorithm? {
        guard
            prefersWinograd(
                channels: channels, outChannels: outChannels, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                outputPixels: outputHeight * outputWidth, kernels: kernels)
        else { return nil }
        let side = min(outputHeight, outputWidth)
        let largestTile = kernels.productsUseBF16 ? kernels.largestWinogradTileBF16 : kernels.largestWinogradTile
        if side >= winograd6x6MinimumSide && largestTile >= 6 { return .winograd6x6 }
        return side >= winograd4x4MinimumSide && largestTile >= 4 ? .winograd4x4 : .winograd
    }
}

/// 2-D convolution, stride 1, zero padding `padding` on every side (cross-correlation, as in
/// PyTorch): `x` `[N, C, H, W]`, `weight` `[O, C, kh, kw]`, `bias` `[O]` ->
/// `[N, O, H + 2p - kh + 1, W + 2p - kw + 1]` with
/// `y[n, o, i, j] = bias[o] + sum_{c, u, v} weight[o, c, u, v] * x[n, c, i + u - p, j + v - p]`
/// (out-of-range input reads as zero).
///
/// A 1x1 kernel without padding is one product per image (`[O, C] x [C, H*W]`, on the packed
/// fp32 kernel where the build has it, ``PackedGEMM``). A 3x3 kernel
/// on a large enough layer uses Winograd: `F(2x2, 3x3)` on outputs from 16 x 16, `F(4x4, 3x3)`
/// from 32 x 32, `F(6x6, 3x3)` from 64 x 64 (16, 36 or 64 products `[O, C] x [C, tiles]` per band
/// of tile rows; see
/// ``Conv2dAlgorithm/automaticWinograd(channels:outChannels:kernelHeight:kernelWidth:outputHeight:outputWidth:kernels:)``).
/// Other kernels unfold bands of output rows into
/// a bounded column buffer (see ``Conv2dTiling``), packed with
/// ``parallelFor(_:minimumChunk:_:)``, then multiply `[O, C*kh*kw] x [C*kh*kw, rows*Wo]`
/// straight into the output. Matrix products use OpenBLAS threads.
///
/// With `kernels.precision` ``Precision/bf16`` (``KernelSettings``), the Winograd products and
/// the 1x1 product take bfloat16 inputs with float32 sums (``BF16Products``), and the automatic
/// rule keeps to F(2x2) (``KernelSettings/largestWinogradTileBF16``) on outputs up to
/// ``Conv2dAlgorithm/bf16MaximumSide`` per side, and above where float32 F(6x6) would not run
/// fused (``Conv2dAlgorithm/keepsFloat32(channels:outChannels:height:width:padding:threads:cacheBytes:)``).
package func conv2d(
    _ x: Tensor, weight: Tensor, bias: Tensor?, padding: Int, kernels: KernelSettings = .standard
) -> Tensor {
    conv2d(x, weight: weight, bias: bias, padding: padding, algorithm: .automatic, kernels: kernels)
}

/// ``conv2d(_:weight:bias:padding:kernels:)`` plus `residual` (the output's shape): `conv(x) + residual`,
/// the sum that closes a residual block, added by the Winograd paths as they write each output
/// row (no pass of its own over the output).
package func conv2d(
    _ x: Tensor, weight: Tensor, bias: Tensor?, padding: Int, adding residual: Tensor,
    kernels: KernelSettings = .standard
) -> Tensor {
    conv2d(x, weight: weight, bias: bias, padding: padding, algorithm: .automatic, residual: residual, kernels: kernels)
}

/// ``conv2d(_:weight:bias:padding:kernels:)`` with a chosen algorithm and an explicit bound (bytes) on
/// each scratch buffer (im2col columns, Winograd bands), plus `residual` when given (see
/// ``conv2d(_:weight:bias:padding:adding:kernels:)``); the result does not depend on either beyond Float
/// rounding.
///
/// - Precondition: `.winograd`, `.winograd4x4` and `.winograd6x6` need a 3x3 kernel; `residual`
///   has the output's shape.
package func conv2d(
    _ x: Tensor, weight: Tensor, bias: Tensor?, padding: Int, algorithm: Conv2dAlgorithm,
    columnBufferBytes: Int = Conv2dTiling.defaultColumnBufferBytes, residual: Tensor? = nil,
    kernels: KernelSettings = .standard
) -> Tensor {
    precondition(x.rank == 4, "conv2d: input must be [N, C, H, W], got \(x.shape)")
    precondition(weight.rank == 4, "conv2d: weight must be [O, C, kh, kw], got \(weight.shape)")
    let (channels, height, width) = (x.shape[1], x.shape[2], x.shape[3])
    let (outChannels, kernelHeight, kernelWidth) = (weight.shape[0], weight.shape[2], weight.shape[3])
    precondition(
        weight.shape[1] == channels,
        "conv2d: weight \(weight.shape) expects \(weight.shape[1]) channels, input is \(x.shape)")
    precondition(padding >= 0, "conv2d: negative padding \(padding)")
    let outHeight = height + 2 * padding - kernelHeight + 1
    let outWidth = width + 2 * padding - kernelWidth + 1
    precondition(
        outHeight >= 1 && outWidth >= 1,
        "conv2d: kernel \(weight.shape) larger than padded input \(x.shape) (padding \(padding))")
    if let bias {
        precondition(bias.count == outChannels, "conv2d: bias \(bias.shape) for weight \(weight.shape)")
    }
    if let residual {
        precondition(
            residual.shape == [x.shape[0], outChannels, outHeight, outWidth],
            "conv2d: residual \(residual.shape) for output [\(x.shape[0]), \(outChannels), \(outHeight), \(outWidth)]")
    }
    let isThreeByThree = kernelHeight == 3 && kernelWidth == 3
    precondition(
        algorithm == .automatic || algorithm == .im2col || isThreeByThree,
        "conv2d: Winograd needs a 3x3 kernel, weight is \(weight.shape)")
    var chosen = algorithm
    var bf16 = kernels.productsUseBF16
    if algorithm == .automatic {
        if bf16 && isThreeByThree
            && Conv2dAlgorithm.keepsFloat32(
                channels: channels, outChannels: outChannels, height: height, width: width, padding: padding)
        {
            bf16 = false
        }
        chosen =
            Conv2dAlgorithm.automaticWinograd(
                channels: channels, outChannels: outChannels, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                outputHeight: outHeight, outputWidth: outWidth, kernels: kernels.with(precision: bf16 ? .bf16 : .fp32))
            ?? .automatic
    }
    switch chosen {
    case .winograd4x4:
        return convolveByBands(
            x, weight: weight, transform: WinogradF4.self, bf16: bf16, schedule: kernels.winogradSchedule, bias: bias, padding: padding,
            bufferBytes: min(columnBufferBytes, Conv2dTiling.winogradF4BufferBytes), residual: residual)
    case .winograd6x6:
        return convolveByBands(
            x, weight: weight, transform: WinogradF6.self, bf16: bf16, schedule: kernels.winogradSchedule, bias: bias, padding: padding,
            bufferBytes: min(columnBufferBytes, Conv2dTiling.winogradF6BufferBytes), residual: residual)
    case .winograd:
        return convolveByBands(
            x, weight: weight, transform: WinogradF2.self, bf16: bf16, schedule: kernels.winogradSchedule, bias: bias, padding: padding,
            bufferBytes: columnBufferBytes, residual: residual)
    case .automatic, .im2col:
        var result = convolveByColumns(
            x, weight: weight, bias: bias, stride: 1, padding: padding, columnBufferBytes: columnBufferBytes,
            pointwiseShortcut: algorithm != .im2col, kernels: kernels)
        if let residual { result += residual }
        return result
    }
}

/// The Winograd `F(m x m, 3x3)` convolution (arguments already checked) of every image of `x`
/// with `weight`'s kept transform (float32, or bfloat16 when `bf16`) on `schedule`, band buffers
/// of at most `bufferBytes` each, plus `residual` when given.
private func convolveByBands<Transform: WinogradTransform>(
    _ x: Tensor, weight: Tensor, transform: Transform.Type, bf16: Bool, schedule: Conv2dTiling.WinogradSchedule,
    bias: Tensor?, padding: Int, bufferBytes: Int, residual: Tensor?
) -> Tensor {
    let (batch, channels, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    // Every image on its own: `run(input, output, bias, residual)` of one of the schedules.
    func convolveImages(
        outChannels: Int, outHeight: Int, outWidth: Int,
        _ run: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, UnsafePointer<Float>?, UnsafePointer<Float>?) -> Void
    ) -> Tensor {
        let (result, y) = makeUninitializedOutput([batch, outChannels, outHeight, outWidth])
        let (px, pb, pr) = (x.readPointer, bias?.readPointer, residual?.readPointer)
        let outImage = outChannels * outHeight * outWidth
        for n in 0..<batch {
            run(px + n * channels * height * width, y + n * outImage, pb, pr.map { $0 + n * outImage })
        }
        return result
    }
    let weights = WinogradProductWeights<Transform>.of(weight, bf16: bf16)
    if (bf16 || PackedProducts.isAvailable) && schedule != .bands {
        let fused = WinogradTileConvolution(weights: weights, height: height, width: width, padding: padding)
        if schedule == .tiles || fused.prefersTiles(threads: Parallelism.threadCount) {
            return convolveImages(outChannels: fused.outChannels, outHeight: fused.outHeight, outWidth: fused.outWidth) {
                fused.run(input: $0, output: $1, bias: $2, residual: $3)
            }
        }
    }
    let winograd = WinogradBandConvolution(
        weights: weights, height: height, width: width, padding: padding, bufferBytes: bufferBytes)
    defer { winograd.deallocate() }
    return convolveImages(outChannels: winograd.outChannels, outHeight: winograd.outHeight, outWidth: winograd.outWidth) {
        winograd.run(input: $0, output: $1, bias: $2, residual: $3)
    }
}

/// 2-D convolution with a stride (cross-correlation, as in PyTorch): `x` `[N, C, H, W]`,
/// `weight` `[O, C, kh, kw]`, `bias` `[O]` -> `[N, O, Ho, Wo]` with
/// `Ho = (H + 2p - kh) / stride + 1` (likewise `Wo`) and
/// `y[n, o, i, j] = bias[o] + sum_{c, u, v} weight[o, c, u, v] * x[n, c, i*stride + u - p, j*stride + v - p]`
/// (out-of-range input reads as zero). Stride 1 is ``conv2d(_:weight:bias:padding:kernels:)`` with
/// the standard settings; larger
/// strides unfold bands of output rows (im2col) and multiply with `sgemm`.
package func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int) -> Tensor {
    precondition(stride >= 1, "conv2d: stride \(stride) must be at least 1")
    if stride == 1 { return conv2d(x, weight: weight, bias: bias, padding: padding) }
    precondition(x.rank == 4, "conv2d: input must be [N, C, H, W], got \(x.shape)")
    precondition(weight.rank == 4, "conv2d: weight must be [O, C, kh, kw], got \(weight.shape)")
    precondition(
        weight.shape[1] == x.shape[1],
        "conv2d: weight \(weight.shape) expects \(weight.shape[1]) channels, input is \(x.shape)")
    precondition(padding >= 0, "conv2d: negative padding \(padding)")
    precondition(
        x.shape[2] + 2 * padding >= weight.shape[2] && x.shape[3] + 2 * padding >= weight.shape[3],
        "conv2d: kernel \(weight.shape) larger than padded input \(x.shape) (padding \(padding))")
    if let bias {
        precondition(bias.count == weight.shape[0], "conv2d: bias \(bias.shape) for weight \(weight.shape)")
    }
    return convolveByColumns(
        x, weight: weight, bias: bias, stride: stride, padding: padding,
        columnBufferBytes: Conv2dTiling.defaultColumnBufferBytes, pointwiseShortcut: true, kernels: .standard)
}

/// The im2col convolution (arguments already checked): one product per image for an unpadded
/// 1x1 stride-1 kernel when `pointwiseShortcut` (``pointwiseProduct(weights:weightTensor:m:k:lda:bias:input:n:ldb:output:ldc:kernels:)``), otherwise bands of output rows unfolded into
/// `[C*kh*kw, rows*Wo]` columns and multiplied by `[O, C*kh*kw]` straight into the output.
private func convolveByColumns(
    _ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int, columnBufferBytes: Int,
    pointwiseShortcut: Bool, kernels: KernelSettings
) -> Tensor {
    let (batch, channels, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (outChannels, kernelHeight, kernelWidth) = (weight.shape[0], weight.shape[2], weight.shape[3])
    let outHeight = (height + 2 * padding - kernelHeight) / stride + 1
    let outWidth = (width + 2 * padding - kernelWidth) / stride + 1
    let (result, y) = makeUninitializedOutput([batch, outChannels, outHeight, outWidth])
    let outPlane = outHeight * outWidth
    let inPlane = height * width
    let patch = channels * kernelHeight * kernelWidth
    let px = x.readPointer
    let pw = weight.readPointer
    let beta: Float = bias == nil ? 0 : 1

    func fillBias(_ image: UnsafeMutablePointer<Float>) {
        guard let bias else { return }
        let pb = bias.readPointer
        parallelFor(outChannels, minimumChunk: max(1, elementwiseChunk / max(1, outPlane))) { channels in
            for o in channels { (image + o * outPlane).update(repeating: pb[o], count: outPlane) }
        }
    }

    if pointwiseShortcut && kernelHeight == 1 && kernelWidth == 1 && padding == 0 && stride == 1 {
        for n in 0..<batch {
            pointwiseProduct(
                weights: pw, weightTensor: weight, m: outChannels, k: channels, lda: channels, bias: bias?.readPointer,
                input: px + n * channels * inPlane, n: outPlane, ldb: inPlane, output: y + n * outChannels * outPlane,
                ldc: outPlane, kernels: kernels)
        }
        return result
    }

    let geometry = ColumnGeometry(
        height: height, width: width, kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride,
        padding: padding, outWidth: outWidth)
    let tileRows = Conv2dTiling.rowsPerTile(
        inputChannels: channels, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
        outputWidth: outWidth, outputHeight: outHeight, columnBufferBytes: columnBufferBytes)
    let columns = UnsafeMutablePointer<Float>.allocate(capacity: patch * tileRows * outWidth)
    defer { columns.deallocate() }

    for n in 0..<batch {
        let input = px + n * channels * inPlane
        let image = y + n * outChannels * outPlane
        fillBias(image)
        var row0 = 0
        while row0 < outHeight {
            let rows = min(tileRows, outHeight - row0)
            let tileWidth = rows * outWidth
            geometry.pack(input: input, patch: patch, firstRow: row0, rows: rows, into: columns)
            sgemm(
                transposeA: false, transposeB: false, m: outChannels, n: tileWidth, k: patch,
                a: pw, lda: patch, b: columns, ldb: tileWidth,
                beta: beta, c: image + row0 * outWidth, ldc: outPlane)
            row0 += rows
        }
    }
    return result
}

/// The im2col layout of one image.
private struct ColumnGeometry {
    let height: Int
    let width: Int
    let kernelHeight: Int
    let kernelWidth: Int
    let stride: Int
    let padding: Int
    let outWidth: Int

    /// im2col for one band of output rows: `columns[(c*kh + u)*kw + v, r*Wo + j] =
    /// input[c, (firstRow + r)*stride + u - p, j*stride + v - p]`, zero outside the image.
    func pack(
        input: UnsafePointer<Float>, patch: Int, firstRow: Int, rows: Int, into columns: UnsafeMutablePointer<Float>
    ) {
        let tileWidth = rows * outWidth
        parallelFor(patch, minimumChunk: max(1, elementwiseChunk / max(1, tileWidth))) { range in
            for r in range {
                let v = r % kernelWidth
                let u = (r / kernelWidth) % kernelHeight
                let c = r / (kernelWidth * kernelHeight)
                let plane = input + c * height * width
                // Output columns j whose input column j*stride + v - p lies inside [0, width).
                let jStart = min(outWidth, max(0, (padding - v + stride - 1) / stride))
                let jEnd = max(jStart, min(outWidth, (width + padding - v + stride - 1) / stride))
                for row in 0..<rows {
                    let target = columns + r * tileWidth + row * outWidth
                    let iy = (firstRow + row) * stride + u - padding
                    if iy < 0 || iy >= height {
                        target.update(repeating: 0, count: outWidth)
                        continue
                    }
                    if jStart > 0 { target.update(repeating: 0, count: jStart) }
                    let line = plane + iy * width + v - padding
                    if stride == 1 {
                        if jEnd > jStart { (target + jStart).update(from: line + jStart, count: jEnd - jStart) }
                    } else {
                        for j in jStart..<jEnd { target[j] = line[j * stride] }
                    }
                    if jEnd < outWidth { (target + jEnd).update(repeating: 0, count: outWidth - jEnd) }
                }
            }
        }
    }
}
