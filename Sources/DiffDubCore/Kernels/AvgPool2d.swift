/// Average pooling as PyTorch's `avg_pool2d(kernelSize, stride, padding)` with its defaults
/// (`count_include_pad=True`, floor mode): `x` `[N, C, H, W]` -> `[N, C, Ho, Wo]`,
/// `Ho = (H + 2p - k) / stride + 1` (likewise `Wo`), and
/// `y[n, c, i, j] = (1 / k^2) * sum_{u, v < k} x[n, c, i*stride + u - p, j*stride + v - p]`,
/// padding counting as zeros in the sum AND in the divisor (always `k * k`).
///
/// - Precondition: `padding <= kernelSize / 2`, as PyTorch requires.
package func avgPool2d(_ x: Tensor, kernelSize: Int, stride: Int, padding: Int = 0) -> Tensor {
    precondition(x.rank == 4, "avgPool2d: input must be [N, C, H, W], got \(x.shape)")
    precondition(
        kernelSize >= 1 && stride >= 1 && padding >= 0 && padding <= kernelSize / 2,
        "avgPool2d: kernel \(kernelSize), stride \(stride), padding \(padding) (padding at most half the kernel)")
    let (height, width) = (x.shape[2], x.shape[3])
    precondition(
        height + 2 * padding >= kernelSize && width + 2 * padding >= kernelSize,
        "avgPool2d: kernel \(kernelSize) larger than padded input \(x.shape) (padding \(padding))")
    let outHeight = (height + 2 * padding - kernelSize) / stride + 1
    let outWidth = (width + 2 * padding - kernelSize) / stride + 1
    let (result, y) = makeOutput([x.shape[0], x.shape[1], outHeight, outWidth])
    let px = x.readPointer
    let planes = x.shape[0] * x.shape[1]
    let divisor = Float(kernelSize * kernelSize)
    parallelFor(planes, minimumChunk: max(1, elementwiseChunk / max(1, outHeight * outWidth * kernelSize))) { range in
        for p in range {
            let plane = px + p * height * width
            let target = y + p * outHeight * outWidth
            for i in 0..<outHeight {
                let rowStart = max(0, i * stride - padding)
                let rowEnd = min(height, i * stride - padding + kernelSize)
                for j in 0..<outWidth {
                    let columnStart = max(0, j * stride - padding)
                    let columnEnd = min(width, j * stride - padding + kernelSize)
                    var total: Float = 0
                    for r in rowStart..<rowEnd {
                        let line = plane + r * width
                        for c in columnStart..<columnEnd { total += line[c] }
                    }
                    target[i * outWidth + j] = total / divisor
                }
            }
        }
    }
    return result
}
