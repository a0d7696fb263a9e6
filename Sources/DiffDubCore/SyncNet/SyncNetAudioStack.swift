/// SyncNet's audio convolutions (`netcnnaud` in SyncNetModel.py): 13 MFCCs x 20 frames to 512
/// features. Every convolution is followed by `BatchNorm2d` and `ReLU` (``SyncNetConvolution``).
///
/// Keys (index in the `nn.Sequential`: convolution, norm at the next index):
/// ```
/// x [N, 1, 13, 20]
/// 0, 1    Conv2d(1, 64, 3x3, pad 1)      3  MaxPool2d(1x1) (the identity)
/// 4, 5    Conv2d(64, 192, 3x3, pad 1)    7  MaxPool2d(3x3, stride (1, 2))   -> [192, 11, 9]
/// 8, 9    Conv2d(192, 384, 3x3, pad 1)
/// 11, 12  Conv2d(384, 256, 3x3, pad 1)
/// 14, 15  Conv2d(256, 256, 3x3, pad 1)  17  MaxPool2d(3x3, stride 2)        -> [256, 5, 4]
/// 18, 19  Conv2d(256, 512, 5x4)                                             -> [512, 1, 1]
/// ```
package struct SyncNetAudioStack: Sendable {
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

    /// MFCC coefficients per window.
    package static let coefficients = 13
    /// MFCC frames per window (0.2 s, five video frames at 25 fps).
    package static let frames = 20
    /// Features out.
    package static let features = 512

    /// Binds `netcnnaud` under `weights`.
    ///
    /// - Throws: ``WeightError`` naming the key of a missing or misshapen tensor.
    package init(_ weights: WeightBinder) throws {
        func layer(_ index: Int, _ inChannels: Int, _ outChannels: Int, kernel: Extent3, padding: Extent3)
            throws -> SyncNetConvolution
        {
            try SyncNetConvolution(
                conv: weights.scoped("\(index)"), batchNorm: weights.scoped("\(index + 1)"), kind: .planar,
                in: inChannels, out: outChannels, kernel: kernel, padding: padding)
        }
        let three = Extent3(1, 3, 3)
        let same = Extent3(0, 1, 1)
        conv0 = try layer(0, 1, 64, kernel: three, padding: same)
        conv4 = try layer(4, 64, 192, kernel: three, padding: same)
        conv8 = try layer(8, 192, 384, kernel: three, padding: same)
        conv11 = try layer(11, 384, 256, kernel: three, padding: same)
        conv14 = try layer(14, 256, 256, kernel: three, padding: same)
        conv18 = try layer(18, 256, 512, kernel: Extent3(1, 5, 4), padding: Extent3(all: 0))
    }

    /// `[N, 1, 13, 20]` MFCC windows -> `[N, 512]`.
    ///
    /// The windows run as the depth slices of one volume `[1, 1, N, 13, 20]` (every kernel has
    /// depth 1, so each slice stays its own window), which lets the convolutions put the small
    /// planes of several windows into one product.
    package func callAsFunction(_ mfcc: Tensor) -> Tensor {
        let n = mfcc.shape[0]
        var x = mfcc.reshaped([1, 1, n, mfcc.shape[2], mfcc.shape[3]])
        x = conv4(conv0(x))
        x = maxPool3d(x, kernel: Extent3(1, 3, 3), stride: Extent3(1, 1, 2))
        x = conv14(conv11(conv8(x)))
        x = maxPool3d(x, kernel: Extent3(1, 3, 3), stride: Extent3(1, 2, 2))
        return permuted(conv18(x).reshaped([Self.features, n]), [1, 0])
    }
}
