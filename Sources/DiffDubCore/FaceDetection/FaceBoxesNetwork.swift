// Port of torchlm/tools/_faceboxesv2.py (FaceBoxesV2Impl, test phase), torchlm 0.1.6.10 (MIT).

/// `BasicConv2d`: convolution (no bias), BatchNorm2d (eps 1e-5), ReLU. Keys `conv.weight`,
/// `bn.*`.
struct FaceBoxesBasicConv: Sendable {
    let unit: ConvBatchNorm

    init(_ weights: WeightBinder, _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0)
        throws
    {
        unit = try ConvBatchNorm(
            conv: weights.scoped("conv"), batchNorm: weights.scoped("bn"), in: inChannels, out: outChannels,
            kernel: kernel, stride: stride, padding: padding)
    }

    func callAsFunction(_ x: Tensor) -> Tensor { relu(unit(x)) }
}

/// The Inception block (128 -> 128 channels): four branches concatenated over channels:
/// `branch1x1(x)`, `branch1x1_2(avgpool3x3(x))`, `branch3x3(branch3x3_reduce(x))`,
/// `branch3x3_3(branch3x3_2(branch3x3_reduce_2(x)))`.
struct FaceBoxesInception: Sendable {
    let branch1x1: FaceBoxesBasicConv
    let branch1x1_2: FaceBoxesBasicConv
    let branch3x3_reduce: FaceBoxesBasicConv
    let branch3x3: FaceBoxesBasicConv
    let branch3x3_reduce_2: FaceBoxesBasicConv
    let branch3x3_2: FaceBoxesBasicConv
    let branch3x3_3: FaceBoxesBasicConv

    init(_ w: WeightBinder) throws {
        branch1x1 = try FaceBoxesBasicConv(w.scoped("branch1x1"), 128, 32, kernel: 1)
        branch1x1_2 = try FaceBoxesBasicConv(w.scoped("branch1x1_2"), 128, 32, kernel: 1)
        branch3x3_reduce = try FaceBoxesBasicConv(w.scoped("branch3x3_reduce"), 128, 24, kernel: 1)
        branch3x3 = try FaceBoxesBasicConv(w.scoped("branch3x3"), 24, 32, kernel: 3, padding: 1)
        branch3x3_reduce_2 = try FaceBoxesBasicConv(w.scoped("branch3x3_reduce_2"), 128, 24, kernel: 1)
        branch3x3_2 = try FaceBoxesBasicConv(w.scoped("branch3x3_2"), 24, 32, kernel: 3, padding: 1)
        branch3x3_3 = try FaceBoxesBasicConv(w.scoped("branch3x3_3"), 32, 32, kernel: 3, padding: 1)
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let a = branch1x1(x)
        let b = branch1x1_2(avgPool2d(x, kernelSize: 3, stride: 1, padding: 1))
        let c = branch3x3(branch3x3_reduce(x))
        let d = branch3x3_3(branch3x3_2(branch3x3_reduce_2(x)))
        return concat([a, b, c, d], axis: 1)
    }
}

/// The FaceBoxesV2 network of torchlm: five stride-2 3x3 convolutions (3 -> 8 -> 16 -> 32 ->
/// 64 -> 128 channels, so the first source map is `ceil(H/32) x ceil(W/32)`), three Inception
/// blocks (source 1), `conv6_1`/`conv6_2` (stride 2, 256 channels, source 2), `conv7_1`/
/// `conv7_2` (stride 2, source 3), and per source a 3x3 `loc` and `conf` head with 21, 1 and
/// 1 anchors per cell.
///
/// Output for one image `[1, 3, H, W]` (BGR minus the mean (104, 117, 123)): `loc` `[P, 4]`
/// (encoded offsets) and `conf` `[P, 2]` (softmax over background/face), with priors ordered
/// source by source, then row, column, anchor, as ``PriorBoxes`` lists them.
package struct FaceBoxesNetwork: Sendable {
    let conv1, conv2, conv3, conv4, conv5: FaceBoxesBasicConv
    let inception1, inception2, inception3: FaceBoxesInception
    let conv6_1, conv6_2, conv7_1, conv7_2: FaceBoxesBasicConv
    let loc: [Conv2d]
    let conf: [Conv2d]

    /// Binds torchlm's `faceboxesv2.pth` state dict (its `module.` prefix already removed)
    /// strictly, or random weights (`WeightBinder(randomSeed:)`) in the same layout.
    package init(_ w: WeightBinder) throws {
        conv1 = try FaceBoxesBasicConv(w.scoped("conv1"), 3, 8, kernel: 3, stride: 2, padding: 1)
        conv2 = try FaceBoxesBasicConv(w.scoped("conv2"), 8, 16, kernel: 3, stride: 2, padding: 1)
        conv3 = try FaceBoxesBasicConv(w.scoped("conv3"), 16, 32, kernel: 3, stride: 2, padding: 1)
        conv4 = try FaceBoxesBasicConv(w.scoped("conv4"), 32, 64, kernel: 3, stride: 2, padding: 1)
        conv5 = try FaceBoxesBasicConv(w.scoped("conv5"), 64, 128, kernel: 3, stride: 2, padding: 1)
        inception1 = try FaceBoxesInception(w.scoped("inception1"))
        inception2 = try FaceBoxesInception(w.scoped("inception2"))
        inception3 = try FaceBoxesInception(w.scoped("inception3"))
        conv6_1 = try FaceBoxesBasicConv(w.scoped("conv6_1"), 128, 128, kernel: 1)
        conv6_2 = try FaceBoxesBasicConv(w.scoped("conv6_2"), 128, 256, kernel: 3, stride: 2, padding: 1)
        conv7_1 = try FaceBoxesBasicConv(w.scoped("conv7_1"), 256, 128, kernel: 1)
        conv7_2 = try FaceBoxesBasicConv(w.scoped("conv7_2"), 128, 256, kernel: 3, stride: 2, padding: 1)
        let anchors = PriorBoxes.anchorsPerCell
        let sourceChannels = [128, 256, 256]
        loc = try (0..<3).map { i in
            try Conv2d(w.scoped("loc.\(i)"), in: sourceChannels[i], out: anchors[i] * 4, kernel: 3, padding: 1)
        }
        conf = try (0..<3).map { i in
            try Conv2d(w.scoped("conf.\(i)"), in: sourceChannels[i], out: anchors[i] * 2, kernel: 3, padding: 1)
        }
    }

    /// `loc` `[P, 4]` and softmaxed `conf` `[P, 2]` for one image `[1, 3, H, W]`.
    package func callAsFunction(_ input: Tensor) -> (loc: Tensor, conf: Tensor) {
        precondition(input.rank == 4 && input.shape[0] == 1 && input.shape[1] == 3, "FaceBoxes: input \(input.shape)")
        var x = conv5(conv4(conv3(conv2(conv1(input)))))
        x = inception3(inception2(inception1(x)))
        let s1 = x
        let s2 = conv6_2(conv6_1(s1))
        let s3 = conv7_2(conv7_1(s2))
        var locs: [Tensor] = []
        var confs: [Tensor] = []
        for (i, source) in [s1, s2, s3].enumerated() {
            locs.append(Self.flatten(loc[i](source), width: 4))
            confs.append(Self.flatten(conf[i](source), width: 2))
        }
        return (concat(locs, axis: 0), softmax(concat(confs, axis: 0)))
    }

    /// `[1, A*k, h, w]` -> `[h*w*A, k]` (channels last, as `permute(0, 2, 3, 1)` + `view`).
    static func flatten(_ head: Tensor, width: Int) -> Tensor {
        let (channels, h, w) = (head.shape[1], head.shape[2], head.shape[3])
        return permuted(head.reshaped([channels, h * w]), [1, 0]).reshaped([h * w * channels / width, width])
    }
}
