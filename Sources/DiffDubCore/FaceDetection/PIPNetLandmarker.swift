// Port of torchlm/models/pipnet/_impls.py (`_detecting_impl`) and `_utils._normalize`,
// torchlm 0.1.6.10 (MIT).

/// PIPNet landmark detection on a face crop, as torchlm's `apply_detecting`:
/// 1. the RGB crop is resized to 256 x 256 (OpenCV bilinear) and normalised with the
///    ImageNet statistics: `(v / 255 - mean[c]) / std[c]`, mean (0.485, 0.456, 0.406),
///    std (0.229, 0.224, 0.225), float32;
/// 2. per landmark `i`: `m` = arg-max cell of `cls[i]` (first of equal maxima), its
///    prediction `((m % w + x[i, m]) / (256 / 32), (m / w + y[i, m]) / (256 / 32))` and its
///    neighbours' predictions `(m % w + nbx[i*nb + k, m]) / 8` (likewise y) for slot `k`;
/// 3. landmark `j` = mean of its own prediction and the `PIPNetMeanFace.maxLength`
///    neighbour predictions `(i, k)` that point at it;
/// 4. normalised coordinates times the crop's width and height.
public struct PIPNetLandmarker: Sendable {
    /// The network.
    package let network: PIPNetNetwork
    /// The mean-face neighbour structure.
    package let meanFace: PIPNetMeanFace
    /// Side of the network input (256).
    package let inputSize: Int
    /// Pixels per head cell (32).
    package let stride: Int

    /// ImageNet channel means (RGB).
    package static let mean: [Float] = [0.485, 0.456, 0.406]
    /// ImageNet channel standard deviations (RGB).
    package static let std: [Float] = [0.229, 0.224, 0.225]

    /// A landmarker over a bound network.
    ///
    /// - Throws: ``WeightError/invalidConfiguration(_:source:)`` when the network's landmark
    ///   or neighbour count differs from the mean face's.
    package init(network: PIPNetNetwork, meanFace: PIPNetMeanFace = .face300W, inputSize: Int = 256, stride: Int = 32)
        throws
    {
        guard network.landmarkCount == meanFace.count, network.neighborCount == meanFace.neighborCount else {
            throw WeightError.invalidConfiguration(
                "PIPNet predicts \(network.landmarkCount) landmarks with \(network.neighborCount) neighbours; the mean face has \(meanFace.count) with \(meanFace.neighborCount)",
                source: "PIPNet")
        }
        self.network = network
        self.meanFace = meanFace
        self.inputSize = inputSize
        self.stride = stride
    }

    /// Binds a PIPNet ResNet-18 state dict (a `module.` prefix on every key is removed), with
    /// the 300W mean face.
    public init(stateDict: StateDict) throws {
        let dict = stateDict.keys.allSatisfy { $0.hasPrefix("module.") } ? stateDict.selecting(prefix: "module.") : stateDict
        let weights = WeightBinder(dict)
        let meanFace = PIPNetMeanFace.face300W
        let network = try PIPNetNetwork(weights, landmarks: meanFace.count, neighbors: meanFace.neighborCount)
        try weights.finish()
        do {
            try self.init(network: network)
        } catch WeightError.invalidConfiguration(let message, _) {
            throw WeightError.invalidConfiguration(message, source: stateDict.source)
        }
    }

    /// The normalised network input `[1, 3, S, S]` of an RGB crop (resized to S first).
    package func networkInput(_ crop: RGBImage) -> Tensor {
        let image = crop.height == inputSize && crop.width == inputSize
            ? crop : crop.resizedBilinear(height: inputSize, width: inputSize)
        let plane = image.pixelCount
        var scalars = [Float](repeating: 0, count: 3 * plane)
        image.pixels.withUnsafeBufferPointer { bytes in
            for i in 0..<plane {
                for c in 0..<3 {
                    scalars[c * plane + i] = (Float(bytes[i * 3 + c]) / 255 - Self.mean[c]) / Self.std[c]
                }
            }
        }
        return Tensor(shape: [1, 3, inputSize, inputSize], scalars: scalars)
    }

    /// The landmarks of the face filling `crop`, in the crop's pixels.
    ///
    /// - Precondition: the crop is not empty.
    public func landmarks(in crop: RGBImage) -> FaceLandmarks {
        precondition(crop.height > 0 && crop.width > 0, "PIPNetLandmarker: empty crop")
        let heads = network(networkInput(crop))
        let normalized = decode(heads)
        let scale = SIMD2(Float(crop.width), Float(crop.height))
        return FaceLandmarks(points: normalized.map { $0 * scale })
    }

    /// Normalised landmark positions (fractions of the crop) from the heads.
    package func decode(_ heads: PIPNetHeads) -> [SIMD2<Float>] {
        let (h, w) = (heads.cls.shape[2], heads.cls.shape[3])
        let cells = h * w
        let count = meanFace.count
        let nb = meanFace.neighborCount
        let cls = heads.cls.scalars
        let ox = heads.x.scalars
        let oy = heads.y.scalars
        let nbx = heads.neighborX.scalars
        let nby = heads.neighborY.scalars
        let cellsPerSide = Float(inputSize) / Float(stride)
        var own = [SIMD2<Float>](repeating: .zero, count: count)
        var neighbor = [SIMD2<Float>](repeating: .zero, count: count * nb)
        for i in 0..<count {
            var best = 0
            for m in 1..<cells where cls[i * cells + m] > cls[i * cells + best] { best = m }
            let cell = SIMD2(Float(best % w), Float(best / w))
            own[i] = (cell + SIMD2(ox[i * cells + best], oy[i * cells + best])) / cellsPerSide
            for k in 0..<nb {
                let channel = (i * nb + k) * cells + best
                neighbor[i * nb + k] = (cell + SIMD2(nbx[channel], nby[channel])) / cellsPerSide
            }
        }
        return (0..<count).map { j in
            var total = own[j]
            for (i, k) in meanFace.predictors[j] { total += neighbor[i * nb + k] }
            return total / Float(1 + meanFace.maxLength)
        }
    }
}
