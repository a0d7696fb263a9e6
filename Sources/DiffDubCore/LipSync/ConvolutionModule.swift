/// espnet's conformer `ConvolutionModule` (port of
/// `espnet/nets/pytorch_backend/conformer/convolution.py`).
///
/// Keys: `pointwise_conv1` (`[2d, d, 1]`), `depthwise_conv` (`[d, 1, k]`, groups `d`),
/// `norm` (BatchNorm1d, running statistics, eps 1e-5), `pointwise_conv2` (`[d, d, 1]`).
/// On `x` `[B, T, d]`:
/// ```
/// h = pointwise_conv1(x)                     [B, T, 2d]
/// h = h[..., :d] * sigmoid(h[..., d:])       GLU over channels
/// h = depthwise_conv(h)                      kernel k, zero padding (k - 1) / 2
/// h = swish(norm(h))
/// y = pointwise_conv2(h)                     [B, T, d]
/// ```
/// The pointwise convolutions run as matrix products on the `[B, T, d]` layout; only the
/// depthwise convolution and the batch norm see the `[B, d, T]` layout.
package struct ConvolutionModule: Sendable {
    /// `pointwise_conv1`: `d -> 2d`, kernel 1.
    package let pointwiseConv1: Conv1d
    /// `depthwise_conv`: kernel `k`, one channel per group.
    package let depthwiseConv: Conv1d
    /// `norm`.
    package let norm: BatchNorm1d
    /// `pointwise_conv2`: `d -> d`, kernel 1.
    package let pointwiseConv2: Conv1d

    /// Binds the module under `weights` for width `width` and kernel `kernelSize` (odd).
    package init(_ weights: WeightBinder, width: Int, kernelSize: Int) throws {
        pointwiseConv1 = try Conv1d(weights.scoped("pointwise_conv1"), in: width, out: 2 * width, kernel: 1)
        depthwiseConv = try Conv1d(
            weights.scoped("depthwise_conv"), in: width, out: width, kernel: kernelSize,
            padding: (kernelSize - 1) / 2, groups: width)
        norm = try BatchNorm1d(weights.scoped("norm"), channels: width, eps: 1e-5)
        pointwiseConv2 = try Conv1d(weights.scoped("pointwise_conv2"), in: width, out: width, kernel: 1)
    }

    /// `[B, T, d]` -> `[B, T, d]`.
    package func callAsFunction(_ x: Tensor) -> Tensor {
        let width = x.shape[2]
        let expanded = linear(
            x, weight: pointwiseConv1.weight.reshaped([2 * width, width]), bias: pointwiseConv1.bias)
        let gated = permuted(glu(expanded, axis: 2), [0, 2, 1])
        let mixed = silu(norm(depthwiseConv(gated)))
        return linear(
            permuted(mixed, [0, 2, 1]), weight: pointwiseConv2.weight.reshaped([width, width]),
            bias: pointwiseConv2.bias)
    }
}
