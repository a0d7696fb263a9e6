/// SyncNet's lip convolutions (`netcnnlip` in SyncNetModel.py): five 224 x 224 BGR frames to 512
/// features. Every convolution is followed by `BatchNorm3d` and `ReLU` (``SyncNetConvolution``).
///
/// Keys (index in the `nn.Sequential`: convolution, norm at the next index):
/// ```
/// x [N, 3, 5, 224, 224]
/// 0, 1    Conv3d(3, 96, 5x7x7, stride (1, 2, 2))          3  MaxPool3d(1x3x3, stride (1, 2, 2))  -> [96, 1, 54, 54]
/// 4, 5    Conv3d(96, 256, 1x5x5, stride (1, 2, 2), pad (0, 1, 1))
///                                                         7  MaxPool3d(1x3x3, stride (1, 2, 2), pad (0, 1, 1)) -> [256, 1, 13, 13]
/// 8, 9    Conv3d(256, 256, 1x3x3, pad (0, 1, 1))
/// 11, 12  Conv3d(256, 256, 1x3x3, pad (0, 1, 1))
/// 14, 15  Conv3d(256, 256, 1x3x3, pad (0, 1, 1))         17  MaxPool3d(1x3x3, stride (1, 2, 2))  -> [256, 1, 6, 6]
/// 18, 19  Conv3d(256, 512, 1x6x6)                                                                 -> [512, 1, 1, 1]
/// ```
/// Only the first convolution spans frames, so the stack runs over a whole run of frames at
/// once: `D` frames give `D - 4` output depth slices, slice `t` being window `t`'s (frames
/// `t ..< t + 5`), the same as the original's batch of windows.
package struct SyncNetLipStack: Sendable {
    /// `0`, `1`.
    package let conv0: SyncNetConvolution
    /// `4`, `5`.
    package let conv4: SyncNetConvolution
    /// `8`, `9`.
    package let conv8: SyncNetConvolution
    /// `11`, `12`.
    package let conv11: SyncNetConvolution
    /// `14`, `15`.
    package let conv14: SyncNetConvolution
    /// `18`, `19`.
    package let conv18: SyncNetConvolution

    /// Frames per window.
    package static let frames = 5
    /// Frame side in pixels.
    package static let side = 224
    /// Features out.
    package static let features = 512

    /// Binds `netcnnlip` under `weights`.
    ///
    /// - Throws: ``WeightError`` naming the key of a missing or misshapen tensor.
    package init(_ weights: WeightBinder) throws {
        func layer(
            _ index: Int, _ inChannels: Int, _ outChannels: Int, kernel: Extent3, stride: Extent3 = Extent3(all: 1),
            padding: Extent3 = Extent3(all: 0)
        ) throws -> SyncNetConvolution {
            try SyncNetConvolution(
                conv: weights.scoped("\(index)"), batchNorm: weights.scoped("\(index + 1)"), kind: .volumetric,
                in: inChannels, out: outChannels, kernel: kernel, stride: stride, padding: padding)
        }
        let halve = Extent3(1, 2, 2)
        let same = Extent3(0, 1, 1)
        conv0 = try layer(0, 3, 96, kernel: Extent3(5, 7, 7), stride: halve)
        conv4 = try layer(4, 96, 256, kernel: Extent3(1, 5, 5), stride: halve, padding: same)
        conv8 = try layer(8, 256, 256, kernel: Extent3(1, 3, 3), padding: same)
        conv11 = try layer(11, 256, 256, kernel: Extent3(1, 3, 3), padding: same)
        conv14 = try layer(14, 256, 256, kernel: Extent3(1, 3, 3), padding: same)
        conv18 = try layer(18, 256, 512, kernel: Extent3(1, 6, 6))
    }

    /// `[N, 3, D, 224, 224]` BGR frames (0...255) -> `[N, 512, D - 4]`, the features of the
    /// `D - 4` windows of each run.
    package func callAsFunction(_ frames: Tensor) -> Tensor {
        let pool = Extent3(1, 3, 3)
        let halve = Extent3(1, 2, 2)
        var x = conv0(frames)
        x = maxPool3d(x, kernel: pool, stride: halve)
        x = conv4(x)
        x = maxPool3d(x, kernel: pool, stride: halve, padding: Extent3(0, 1, 1))
        x = conv14(conv11(conv8(x)))
        x = maxPool3d(x, kernel: pool, stride: halve)
        x = conv18(x)
        return x.reshaped([x.shape[0], Self.features, x.shape[2]])
    }
}
