/// Max pooling as PyTorch's `MaxPool3d(kernel, stride, padding)` (floor mode): `x`
/// `[N, C, D, H, W]` -> `[N, C, Do, Ho, Wo]` with `Do = (D + 2 pd - kd) / sd + 1` (likewise
/// `Ho`, `Wo`) and `y[n, c, t, i, j] = max x[n, c, t*sd + a - pd, i*sh + u - ph, j*sw + v - pw]`
/// over `a < kd, u < kh, v < kw` and the positions inside the volume (padding never wins).
///
/// - Precondition: each padding is at most half its kernel extent, as PyTorch requires, so
///   every window holds at least one input element.
package func maxPool3d(_ x: Tensor, kernel: Extent3, stride: Extent3, padding: Extent3 = Extent3(all: 0)) -> Tensor {
    precondition(x.rank == 5, "maxPool3d: input must be [N, C, D, H, W], got \(x.shape)")
    let kernels = [kernel.depth, kernel.height, kernel.width]
    let strides = [stride.depth, stride.height, stride.width]
    let paddings = [padding.depth, padding.height, padding.width]
    for axis in 0..<3 {
        precondition(
            kernels[axis] >= 1 && strides[axis] >= 1 && paddings[axis] >= 0 && paddings[axis] <= kernels[axis] / 2,
            "maxPool3d: kernel \(kernel), stride \(stride), padding \(padding) (padding at most half the kernel)")
        precondition(
            x.shape[axis + 2] + 2 * paddings[axis] >= kernels[axis],
            "maxPool3d: kernel \(kernel) larger than padded input \(x.shape) (padding \(padding))")
    }
    let (depth, height, width) = (x.shape[2], x.shape[3], x.shape[4])
    let outDepth = (depth + 2 * padding.depth - kernel.depth) / stride.depth + 1
    let outHeight = (height + 2 * padding.height - kernel.height) / stride.height + 1
    let outWidth = (width + 2 * padding.width - kernel.width) / stride.width + 1
    let (result, y) = makeUninitializedOutput([x.shape[0], x.shape[1], outDepth, outHeight, outWidth])
    let px = x.readPointer
    let volumes = x.shape[0] * x.shape[1]
    let outVolume = outDepth * outHeight * outWidth
    let work = max(1, outVolume * kernel.depth * kernel.height * kernel.width)
    // Per output row: the maximum over the window's frames and rows of each input column (a
    // contiguous pass), then over the window's columns of that line.
    parallelFor(volumes, minimumChunk: max(1, elementwiseChunk / work)) { range in
        let columnMaxima = UnsafeMutablePointer<Float>.allocate(capacity: width)
        defer { columnMaxima.deallocate() }
        for p in range {
            let volume = px + p * depth * height * width
            var target = y + p * outVolume
            for t in 0..<outDepth {
                let frameStart = max(0, t * stride.depth - padding.depth)
                let frameEnd = min(depth, t * stride.depth - padding.depth + kernel.depth)
                for i in 0..<outHeight {
                    let rowStart = max(0, i * stride.height - padding.height)
                    let rowEnd = min(height, i * stride.height - padding.height + kernel.height)
                    columnMaxima.update(repeating: -Float.infinity, count: width)
                    for f in frameStart..<frameEnd {
                        for r in rowStart..<rowEnd {
                            let line = volume + (f * height + r) * width
                            for c in 0..<width { columnMaxima[c] = max(columnMaxima[c], line[c]) }
                        }
                    }
                    for j in 0..<outWidth {
                        let columnStart = max(0, j * stride.width - padding.width)
                        let columnEnd = min(width, j * stride.width - padding.width + kernel.width)
                        var best = -Float.infinity
                        for c in columnStart..<columnEnd { best = max(best, columnMaxima[c]) }
                        target.pointee = best
                        target += 1
                    }
                }
            }
        }
    }
    return result
}
