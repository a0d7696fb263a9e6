/// One convolution of SyncNet's convolution stacks with the inference-mode `BatchNorm` that
/// follows it, folded into one 3-D convolution when the weights are bound, and the `ReLU` after:
/// `a[o] = gamma[o] / sqrt(runningVar[o] + eps)`, `w'[o] = w[o] * a[o]`,
/// `b'[o] = (b[o] - runningMean[o]) * a[o] + beta[o]`, `y = relu(conv3d(x, w', b'))`.
///
/// Keys (indices in the `nn.Sequential` of SyncNetModel.py): `<k>.weight`, `<k>.bias` of the
/// convolution (`Conv2d` `[out, in, kh, kw]` in `netcnnaud`, `Conv3d` `[out, in, kd, kh, kw]`
/// in `netcnnlip`), `<k+1>.weight`, `.bias`, `.running_mean`, `.running_var` `[out]` of the
/// norm (and `num_batches_tracked`, skipped). A `Conv2d` runs as a `Conv3d` of depth 1 over
/// `[N, C, 1, H, W]`.
package struct SyncNetConvolution: Sendable {
    /// Whether the stored weight is a `Conv2d`'s (rank 4) or a `Conv3d`'s (rank 5).
    package enum Kind: Sendable {
        /// `nn.Conv2d` (+ `BatchNorm2d`), the audio stack.
        case planar
        /// `nn.Conv3d` (+ `BatchNorm3d`), the lip stack.
        case volumetric
    }

    /// Folded weight `[out, in, kd, kh, kw]`.
    package let weight: Tensor
    /// Folded bias `[out]`.
    package let bias: Tensor
    /// Convolution stride.
    package let stride: Extent3
    /// Zero padding.
    package let padding: Extent3

    /// Binds the convolution under `conv` and its norm under `batchNorm` and folds them.
    /// Random weights: convolution uniform in `±1/sqrt(fan-in)`, norm the identity.
    ///
    /// - Throws: ``WeightError`` naming the key of a missing or misshapen tensor.
    package init(
        conv: WeightBinder, batchNorm: WeightBinder, kind: Kind, in inChannels: Int, out outChannels: Int,
        kernel: Extent3, stride: Extent3 = Extent3(all: 1), padding: Extent3 = Extent3(all: 0), eps: Float = 1e-5
    ) throws {
        precondition(kind == .volumetric || kernel.depth == 1, "SyncNetConvolution: a Conv2d has depth 1")
        let fanIn = inChannels * kernel.depth * kernel.height * kernel.width
        let storedShape =
            kind == .planar
            ? [outChannels, inChannels, kernel.height, kernel.width]
            : [outChannels, inChannels, kernel.depth, kernel.height, kernel.width]
        let raw = try conv.tensor("weight", shape: storedShape, .fanIn(fanIn))
        let rawBias = try conv.tensor("bias", shape: [outChannels], .fanIn(fanIn)).scalars
        let channels = [outChannels]
        let gamma = try batchNorm.tensor("weight", shape: channels, .ones).scalars
        let beta = try batchNorm.tensor("bias", shape: channels, .zeros).scalars
        let mean = try batchNorm.tensor("running_mean", shape: channels, .zeros).scalars
        let variance = try batchNorm.tensor("running_var", shape: channels, .ones).scalars
        batchNorm.skip("num_batches_tracked", shape: [], .zeros, storedAs: .int64)
        let scale = (0..<outChannels).map { gamma[$0] / (variance[$0] + eps).squareRoot() }
        self.weight =
            raw.reshaped([outChannels, inChannels, kernel.depth, kernel.height, kernel.width])
            * Tensor(shape: [outChannels, 1, 1, 1, 1], scalars: scale)
        self.bias = Tensor(
            shape: channels, scalars: (0..<outChannels).map { (rawBias[$0] - mean[$0]) * scale[$0] + beta[$0] })
        self.stride = stride
        self.padding = padding
    }

    /// Output channels.
    package var outChannels: Int { weight.shape[0] }

    /// Convolves, normalises and rectifies `[N, in, D, H, W]`.
    package func callAsFunction(_ x: Tensor) -> Tensor {
        relu(conv3d(x, weight: weight, bias: bias, stride: stride, padding: padding))
    }
}
