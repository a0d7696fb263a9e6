/// Nearest-neighbour 2x upsampling: `x` `[N, C, H, W]` -> `[N, C, 2H, 2W]` with
/// `y[n, c, i, j] = x[n, c, i / 2, j / 2]`.
public func upsampleNearest2x(_ x: Tensor) -> Tensor {
    precondition(x.rank == 4, "upsampleNearest2x: input must be [N, C, H, W], got \(x.shape)")
    let (height, width) = (x.shape[2], x.shape[3])
    let planes = x.shape[0] * x.shape[1]
    let (result, y) = makeOutput([x.shape[0], x.shape[1], 2 * height, 2 * width])
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
public func avgPool2x2(_ x: Tensor) -> Tensor {
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
public func globalAveragePool(_ x: Tensor) -> Tensor {
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
