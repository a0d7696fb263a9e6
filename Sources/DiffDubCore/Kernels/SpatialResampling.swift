/// Nearest-neighbour 2x upsampling: `x` `[N, C, H, W]` -> `[N, C, 2H, 2W]` with
/// `y[n, c, i, j] = x[n, c, i / 2, j / 2]`.
package func upsampleNearest2x(_ x: Tensor) -> Tensor {
    precondition(x.rank == 4, "upsampleNearest2x: input must be [N, C, H, W], got \(x.shape)")
    let (height, width) = (x.shape[2], x.shape[3])
    let planes = x.shape[0] * x.shape[1]
    let (result, y) = makeUninitializedOutput([x.shape[0], x.shape[1], 2 * height, 2 * width])
    let px = x.readPointer
    let rows = planes * height
    parallelFor(rows, minimumChunk: max(1, elementwiseChunk / max(1, 4 * width))) { range in
        for row in range {
            let source = px + row * width
            let target = y + row * 4 * width
            for j in 0..<width {
                target[2 * j] = source[j]
                target[2 * j + 1] = source[j]
            }
            (target + 2 * width).update(from: target, count: 2 * width)
        }
    }
    return result
}

/// 2x2 average pooling with stride 2: `x` `[N, C, H, W]` (H, W even) -> `[N, C, H/2, W/2]`
/// with `y[n, c, i, j] = (x[2i, 2j] + x[2i, 2j+1] + x[2i+1, 2j] + x[2i+1, 2j+1]) / 4`.
package func avgPool2x2(_ x: Tensor) -> Tensor {
    precondition(
        x.rank == 4 && x.shape[2] % 2 == 0 && x.shape[3] % 2 == 0,
        "avgPool2x2: input must be [N, C, H, W] with even H and W, got \(x.shape)")
    let (height, width) = (x.shape[2], x.shape[3])
    let (outHeight, outWidth) = (height / 2, width / 2)
    let (result, y) = makeOutput([x.shape[0], x.shape[1], outHeight, outWidth])
    let px = x.readPointer
    let rows = x.shape[0] * x.shape[1] * outHeight
    parallelFor(rows, minimumChunk: max(1, elementwiseChunk / max(1, 4 * outWidth))) { range in
        for row in range {
            let top = px + row * 2 * width
            let bottom = top + width
            let target = y + row * outWidth
            for j in 0..<outWidth {
                target[j] = 0.25 * ((top[2 * j] + top[2 * j + 1]) + (bottom[2 * j] + bottom[2 * j + 1]))
            }
        }
    }
    return result
}

/// Spatial mean: `x` `[N, C, H, W]` -> `[N, C]` with `y[n, c] = mean_{i, j} x[n, c, i, j]`
/// (accumulated in `Double`).
package func globalAveragePool(_ x: Tensor) -> Tensor {
    precondition(x.rank == 4, "globalAveragePool: input must be [N, C, H, W], got \(x.shape)")
    let plane = x.shape[2] * x.shape[3]
    let planes = x.shape[0] * x.shape[1]
    let (result, y) = makeOutput([x.shape[0], x.shape[1]])
    let px = x.readPointer
    parallelFor(planes, minimumChunk: max(1, elementwiseChunk / max(1, plane))) { range in
        for p in range {
            let source = px + p * plane
            var total = 0.0
            for i in 0..<plane { total += Double(source[i]) }
            y[p] = Float(total / Double(max(1, plane)))
        }
    }
    return result
}

/// Max pooling as PyTorch's `MaxPool2d(kernelSize, stride, padding)` (floor mode): `x`
/// `[N, C, H, W]` -> `[N, C, Ho, Wo]` with `Ho = (H + 2p - k) / stride + 1` (likewise `Wo`) and
/// `y[n, c, i, j] = max_{u, v < k} x[n, c, i*stride + u - p, j*stride + v - p]` over the
/// positions inside the image (padding never wins).
///
/// - Precondition: `padding <= kernelSize / 2`, as PyTorch requires, so every window holds at
///   least one input element.
package func maxPool2d(_ x: Tensor, kernelSize: Int, stride: Int, padding: Int = 0) -> Tensor {
    precondition(x.rank == 4, "maxPool2d: input must be [N, C, H, W], got \(x.shape)")
    precondition(
        kernelSize >= 1 && stride >= 1 && padding >= 0 && padding <= kernelSize / 2,
        "maxPool2d: kernel \(kernelSize), stride \(stride), padding \(padding) (padding at most half the kernel)")
    let (height, width) = (x.shape[2], x.shape[3])
    precondition(
        height + 2 * padding >= kernelSize && width + 2 * padding >= kernelSize,
        "maxPool2d: kernel \(kernelSize) larger than padded input \(x.shape) (padding \(padding))")
    let outHeight = (height + 2 * padding - kernelSize) / stride + 1
    let outWidth = (width + 2 * padding - kernelSize) / stride + 1
    let (result, y) = makeOutput([x.shape[0], x.shape[1], outHeight, outWidth])
    let px = x.readPointer
    let planes = x.shape[0] * x.shape[1]
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
                    var best = -Float.infinity
                    for r in rowStart..<rowEnd {
                        let line = plane + r * width
                        for c in columnStart..<columnEnd { best = max(best, line[c]) }
                    }
                    target[i * outWidth + j] = best
                }
            }
        }
    }
    return result
}
