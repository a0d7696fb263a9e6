// The kernel API the models are written against. Each declaration here moves to its own
// file under Kernels/ with a real implementation and tests; this file then disappears.

/// Matrix product through BLAS. `a` is `[..., M, K]` (`[..., K, M]` when `transposeA`),
/// `b` is `[..., K, N]` (`[..., N, K]` when `transposeB`) or rank 2 (shared by every batch).
/// Leading (batch) axes of `a` and `b` must agree when `b` has rank > 2.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    fatalError("pending kernel: matmul")
}

/// `y = x W^T + b` over the last axis: `x` `[..., in]`, `weight` `[out, in]`, `bias` `[out]`.
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    fatalError("pending kernel: linear")
}

/// 2-D convolution, stride 1, zero padding `padding` on every side. `x` `[N, C, H, W]`,
/// `weight` `[O, C, k, k]`, `bias` `[O]` -> `[N, O, H + 2p - k + 1, W + 2p - k + 1]`.
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, padding: Int) -> Tensor {
    fatalError("pending kernel: conv2d")
}

/// 1-D convolution. `x` `[N, C, L]`, `weight` `[O, C / groups, k]`, `bias` `[O]`.
public func conv1d(
    _ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0, groups: Int = 1
) -> Tensor {
    fatalError("pending kernel: conv1d")
}

/// Group normalisation over `[N, C, ...]`: statistics per (sample, group of C / groups
/// channels), biased variance, then per-channel affine.
public func groupNorm(_ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
    fatalError("pending kernel: groupNorm")
}

/// Layer normalisation over the last axis, biased variance, then affine.
public func layerNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
    fatalError("pending kernel: layerNorm")
}

/// Batch normalisation in inference mode over axis 1 of `[N, C, ...]`:
/// `(x - mean) / sqrt(var + eps) * weight + bias`.
public func batchNorm(
    _ x: Tensor, runningMean: Tensor, runningVariance: Tensor, weight: Tensor?, bias: Tensor?, eps: Float
) -> Tensor {
    fatalError("pending kernel: batchNorm")
}

/// `x * sigmoid(x)` (also called swish).
public func silu(_ x: Tensor) -> Tensor { fatalError("pending kernel: silu") }

/// `max(x, 0)`.
public func relu(_ x: Tensor) -> Tensor { fatalError("pending kernel: relu") }

/// `1 / (1 + exp(-x))`.
public func sigmoid(_ x: Tensor) -> Tensor { fatalError("pending kernel: sigmoid") }

/// `x * (1 + erf(x / sqrt 2)) / 2` (exact GELU).
public func gelu(_ x: Tensor) -> Tensor { fatalError("pending kernel: gelu") }

/// Gated linear unit: splits `axis` in halves `a`, `b` and returns `a * sigmoid(b)`.
public func glu(_ x: Tensor, axis: Int) -> Tensor { fatalError("pending kernel: glu") }

/// Numerically stable softmax over the last axis.
public func softmax(_ x: Tensor) -> Tensor { fatalError("pending kernel: softmax") }

/// Nearest-neighbour 2x upsampling of `[N, C, H, W]`.
public func upsampleNearest2x(_ x: Tensor) -> Tensor { fatalError("pending kernel: upsampleNearest2x") }

/// 2x2 average pooling, stride 2, of `[N, C, H, W]` (H, W even).
public func avgPool2x2(_ x: Tensor) -> Tensor { fatalError("pending kernel: avgPool2x2") }

/// Spatial mean of `[N, C, H, W]` -> `[N, C]`.
public func globalAveragePool(_ x: Tensor) -> Tensor { fatalError("pending kernel: globalAveragePool") }

/// Concatenation along `axis`; all other extents must agree.
public func concat(_ tensors: [Tensor], axis: Int) -> Tensor { fatalError("pending kernel: concat") }

/// The elements `range` of `axis` (a contiguous copy).
public func slice(_ x: Tensor, axis: Int, _ range: Range<Int>) -> Tensor { fatalError("pending kernel: slice") }

/// Axes permuted (`permutation[i]` is the source axis of result axis i), as a contiguous copy.
public func permuted(_ x: Tensor, _ permutation: [Int]) -> Tensor { fatalError("pending kernel: permuted") }

/// Element-wise clamp to `[lower, upper]`.
public func clamp(_ x: Tensor, _ lower: Float, _ upper: Float) -> Tensor { fatalError("pending kernel: clamp") }

/// Sum over `axis`, removing it.
public func sum(_ x: Tensor, axis: Int) -> Tensor { fatalError("pending kernel: sum") }

/// Scaled dot-product attention: `softmax(scale * q k^T) v` with `query` `[B, Tq, d]`,
/// `key` `[B, Tk, d]`, `value` `[B, Tk, dv]` -> `[B, Tq, dv]`.
public func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, scale: Float) -> Tensor {
    fatalError("pending kernel: scaledDotProductAttention")
}

extension Tensor {
    /// Element-wise sum with NumPy broadcasting.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { fatalError("pending kernel: +") }
    /// Element-wise difference with NumPy broadcasting.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { fatalError("pending kernel: -") }
    /// Element-wise product with NumPy broadcasting.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { fatalError("pending kernel: *") }
    /// Element-wise quotient with NumPy broadcasting.
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { fatalError("pending kernel: /") }
    /// Adds a scalar to every element.
    public static func + (lhs: Tensor, rhs: Float) -> Tensor { fatalError("pending kernel: + scalar") }
    /// Multiplies every element by a scalar.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { fatalError("pending kernel: * scalar") }
    /// Multiplies every element by a scalar.
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs * lhs }
}
