/// 1-D convolution (cross-correlation, as in PyTorch) with stride, zero padding and groups.
///
/// `x` `[N, C, L]`, `weight` `[O, C / groups, k]`, `bias` `[O]` -> `[N, O, Lout]` with
/// `Lout = (L + 2 * padding - k) / stride + 1` and, for output channel `o` in group
/// `g = o / (O / groups)`,
/// `y[n, o, t] = bias[o] + sum_{c < C/groups, j < k} weight[o, c, j] * x[n, g*C/groups + c, t*stride + j - padding]`
/// (out-of-range input reads as zero).
///
/// Depthwise convolutions (one input and one output channel per group) run as a direct loop
/// over channels in parallel. Everything else multiplies `[O/groups, C/groups*k]` by an
/// im2col matrix per group, unfolded in bands of output positions so the column buffer stays
/// below ``Conv2dTiling/defaultColumnBufferBytes``; a pointwise convolution (`k == 1`,
/// stride 1, no padding) multiplies the input directly
/// (``pointwiseProduct(weights:weightTensor:m:k:lda:bias:input:n:ldb:output:ldc:kernels:)``), in
/// the precision of `kernels` (``KernelSettings``).
package func conv1d(
    _ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0, groups: Int = 1,
    kernels: KernelSettings = .standard
) -> Tensor {
    conv1d(
        x, weight: weight, bias: bias, stride: stride, padding: padding, groups: groups,
        columnBufferBytes: Conv2dTiling.defaultColumnBufferBytes, kernels: kernels)
}

/// ``conv1d(_:weight:bias:stride:padding:groups:kernels:)`` with an explicit bound (bytes) on the
/// im2col column buffer; the result does not depend on it.
package func conv1d(
    _ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int, groups: Int, columnBufferBytes: Int,
    kernels: KernelSettings = .standard
) -> Tensor {
    precondition(x.rank == 3, "conv1d: input must be [N, C, L], got \(x.shape)")
    precondition(weight.rank == 3, "conv1d: weight must be [O, C/groups, k], got \(weight.shape)")
    precondition(
        stride >= 1 && padding >= 0 && groups >= 1, "conv1d: stride \(stride), padding \(padding), groups \(groups)")
    let (batch, channels, length) = (x.shape[0], x.shape[1], x.shape[2])
    let (outChannels, groupChannels, kernel) = (weight.shape[0], weight.shape[1], weight.shape[2])
    precondition(
        channels % groups == 0 && outChannels % groups == 0 && groupChannels * groups == channels,
        "conv1d: input \(x.shape) and weight \(weight.shape) do not fit \(groups) groups")
    precondition(
        length + 2 * padding >= kernel,
        "conv1d: kernel \(kernel) longer than padded input \(x.shape) (padding \(padding))")
    if let bias {
        precondition(bias.count == outChannels, "conv1d: bias \(bias.shape) for weight \(weight.shape)")
    }
    let outLength = (length + 2 * padding - kernel) / stride + 1
    let groupOut = outChannels / groups
    let (result, y) = makeOutput([batch, outChannels, outLength])
    let px = x.readPointer
    let pw = weight.readPointer
    let pb = bias?.readPointer

    if groupChannels == 1 && groupOut == 1 {
        // Depthwise: y[n, c, t] = b[c] + sum_j w[c, j] x[n, c, t*s + j - p].
        parallelFor(batch * channels, minimumChunk: max(1, elementwiseChunk / max(1, outLength * kernel))) { range in
            for row in range {
                let c = row % channels
                let input = px + row * length
                let filter = pw + c * kernel
                let output = y + row * outLength
                let b = pb?[c] ?? 0
                for t in 0..<outLength {
                    let start = t * stride - padding
                    let jStart = max(0, -start)
                    let jEnd = min(kernel, length - start)
                    var acc = b
                    if jStart < jEnd {
                        for j in jStart..<jEnd { acc += filter[j] * input[start + j] }
                    }
                    output[t] = acc
                }
            }
        }
        return result
    }

    let patch = groupChannels * kernel
    if kernel == 1 && stride == 1 && padding == 0 {
        for n in 0..<batch {
            for g in 0..<groups {
                pointwiseProduct(
                    weights: pw + g * groupOut * patch, weightTensor: groups == 1 ? weight : nil, m: groupOut,
                    k: groupChannels, lda: patch, bias: pb.map { $0 + g * groupOut },
                    input: px + (n * channels + g * groupChannels) * length, n: outLength, ldb: length,
                    output: y + (n * outChannels + g * groupOut) * outLength, ldc: outLength, kernels: kernels)
            }
        }
        return result
    }

    if let pb {
        for plane in 0..<(batch * outChannels) {
            (y + plane * outLength).update(repeating: pb[plane % outChannels], count: outLength)
        }
    }
    let beta: Float = bias == nil ? 0 : 1

    let tileLength = max(
        1, min(outLength, columnBufferBytes / max(1, patch * MemoryLayout<Float>.stride)))
    let columns = UnsafeMutablePointer<Float>.allocate(capacity: patch * tileLength)
    defer { columns.deallocate() }
    for n in 0..<batch {
        for g in 0..<groups {
            let input = px + (n * channels + g * groupChannels) * length
            var t0 = 0
            while t0 < outLength {
                let count = min(tileLength, outLength - t0)
                // columns[c*k + j, t - t0] = input[c, t*s + j - p], zero outside.
                parallelFor(patch, minimumChunk: max(1, elementwiseChunk / count)) { range in
                    for r in range {
                        let j = r % kernel
                        // Input position of output i is start + i * stride; valid for i in first..<end.
                        let start = t0 * stride + j - padding
                        let line = input + (r / kernel) * length + start
                        let target = columns + r * count
                        let first = min(count, max(0, (-start + stride - 1) / stride))
                        let end = max(first, min(count, (length - start + stride - 1) / stride))
                        if first > 0 { target.update(repeating: 0, count: first) }
                        if stride == 1 {
                            if end > first { (target + first).update(from: line + first, count: end - first) }
                        } else {
                            for i in first..<end { target[i] = line[i * stride] }
                        }
                        if end < count { (target + end).update(repeating: 0, count: count - end) }
                    }
                }
                sgemm(
                    transposeA: false, transposeB: false, m: groupOut, n: count, k: patch,
                    a: pw + g * groupOut * patch, lda: patch, b: columns, ldb: count,
                    beta: beta, c: y + (n * outChannels + g * groupOut) * outLength + t0, ldc: outLength)
                t0 += count
            }
        }
    }
    return result
}
