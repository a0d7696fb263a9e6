// Port of torchlm/models/pipnet/pipnet.py (PIPNetResNet, net_stride 32) over torchvision's
// ResNet-18 layout, torchlm 0.1.6.10 (MIT).

/// torchvision's `BasicBlock`: `relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))`, the
/// shortcut being `downsample` (1x1 stride-s convolution + BatchNorm) when present.
struct ResNetBasicBlock: Sendable {
    let conv1: ConvBatchNorm
    let conv2: ConvBatchNorm
    let downsample: ConvBatchNorm?

    /// A block `in -> out`; it has a `downsample` shortcut when `stride != 1` or the width changes.
    init(_ w: WeightBinder, in inChannels: Int, out outChannels: Int, stride: Int) throws {
        conv1 = try ConvBatchNorm(
            conv: w.scoped("conv1"), batchNorm: w.scoped("bn1"), in: inChannels, out: outChannels, kernel: 3,
            stride: stride, padding: 1)
        conv2 = try ConvBatchNorm(
            conv: w.scoped("conv2"), batchNorm: w.scoped("bn2"), in: outChannels, out: outChannels, kernel: 3,
            stride: 1, padding: 1)
        downsample =
            stride != 1 || inChannels != outChannels
            ? try ConvBatchNorm(
                conv: w.scoped("downsample.0"), batchNorm: w.scoped("downsample.1"), in: inChannels,
                out: outChannels, kernel: 1, stride: stride, padding: 0)
            : nil
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let y = conv2(relu(conv1(x)))
        return relu(y + (downsample.map { $0(x) } ?? x))
    }
}

/// The five PIPNet heads for one image, each `[1, C, 8, 8]` at input 256 and stride 32:
/// `cls` (68 score maps), `x`, `y` (68 offset maps), `neighborX`, `neighborY` (68 * 10 offset
/// maps, landmark-major: channel `i * 10 + k` is neighbour `k` of landmark `i`).
package struct PIPNetHeads: Sendable {
    /// Score maps `[1, L, h, w]`.
    package var cls: Tensor
    /// Column offsets `[1, L, h, w]`.
    package var x: Tensor
    /// Row offsets `[1, L, h, w]`.
    package var y: Tensor
    /// Neighbour column offsets `[1, L * nb, h, w]`.
    package var neighborX: Tensor
    /// Neighbour row offsets `[1, L * nb, h, w]`.
    package var neighborY: Tensor
}

/// PIPNet with a ResNet-18 backbone (torchlm's `pipnet_resnet18_10x68x32x256_300w`):
/// `conv1` 7x7 stride 2 + `bn1` + ReLU, 3x3 stride-2 max pooling, `layer1`...`layer4` (two
/// basic blocks each, 64/128/256/512 channels, the first block of layers 2-4 with stride 2),
/// then five 1x1 heads (`cls_layer`, `x_layer`, `y_layer`, `nb_x_layer`, `nb_y_layer`) on the
/// 8 x 8 map: `L` score and offset maps, `L * nb` neighbour offset maps.
package struct PIPNetNetwork: Sendable {
    let stem: ConvBatchNorm
    let layers: [[ResNetBasicBlock]]
    let clsLayer, xLayer, yLayer, nbXLayer, nbYLayer: Conv2d

    /// Landmarks per face.
    package var landmarkCount: Int { clsLayer.outChannels }
    /// Neighbours predicted per landmark.
    package var neighborCount: Int { nbXLayer.outChannels / max(1, clsLayer.outChannels) }

    /// Binds a PIPNet ResNet-18 checkpoint's state dict (strictly) or random weights
    /// (`WeightBinder(randomSeed:)`) in the same layout, with `landmarks` landmarks of
    /// `neighbors` neighbours each (68 and 10 for 300W).
    package init(_ w: WeightBinder, landmarks: Int = 68, neighbors: Int = 10) throws {
        guard landmarks >= 1, neighbors >= 1 else {
            throw WeightError.invalidConfiguration(
                "PIPNet needs at least one landmark and one neighbour, asked for \(landmarks) and \(neighbors)",
                source: w.sourceName)
        }
        stem = try ConvBatchNorm(
            conv: w.scoped("conv1"), batchNorm: w.scoped("bn1"), in: 3, out: 64, kernel: 7, stride: 2, padding: 3)
        let widths = [64, 64, 128, 256, 512]
        layers = try (1...4).map { l in
            try (0..<2).map { b in
                try ResNetBasicBlock(
                    w.scoped("layer\(l).\(b)"), in: b == 0 ? widths[l - 1] : widths[l], out: widths[l],
                    stride: l > 1 && b == 0 ? 2 : 1)
            }
        }
        func head(_ name: String, _ outChannels: Int) throws -> Conv2d {
            try Conv2d(w.scoped(name), in: 512, out: outChannels, kernel: 1, padding: 0)
        }
        clsLayer = try head("cls_layer", landmarks)
        xLayer = try head("x_layer", landmarks)
        yLayer = try head("y_layer", landmarks)
        nbXLayer = try head("nb_x_layer", landmarks * neighbors)
        nbYLayer = try head("nb_y_layer", landmarks * neighbors)
    }

    /// The heads for a normalised image `[1, 3, 256, 256]`.
    package func callAsFunction(_ input: Tensor) -> PIPNetHeads {
        var x = maxPool2d(relu(stem(input)), kernelSize: 3, stride: 2, padding: 1)
        for layer in layers {
            for block in layer { x = block(x) }
        }
        return PIPNetHeads(cls: clsLayer(x), x: xLayer(x), y: yLayer(x), neighborX: nbXLayer(x), neighborY: nbYLayer(x))
    }
}
