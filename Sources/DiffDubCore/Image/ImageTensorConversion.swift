/// How a float pixel value `v` (already scaled to 0...255) becomes a byte.
package enum PixelQuantization: Sendable {
    /// `trunc(v)`, clamped to 0...255: NumPy's `astype(np.uint8)` on non-negative values, the
    /// original's rule for rendered frames.
    case truncate
    /// `v` rounded to the nearest integer (halves away from zero), clamped to 0...255: for
    /// blending and paste-back, where truncation would darken the image by half a level.
    case round

    /// The byte for `value`; NaN gives 0.
    @inlinable
    package func byte(_ value: Float) -> UInt8 {
        let q: Float = self == .truncate ? value.rounded(.towardZero) : value.rounded()
        if !(q > 0) { return 0 }  // also NaN
        return q >= 255 ? 255 : UInt8(q)
    }
}

extension RGBImage {
    /// The image as a `[3, height, width]` float tensor normalised to [-1, 1], exactly as the
    /// original's `ToTensor()` + `Normalize(0.5, 0.5)`: `(x / 255 - 0.5) / 0.5` in float32.
    package func normalizedTensor() -> Tensor {
        var result = Tensor(zeros: [3, height, width])
        let plane = pixelCount
        result.withUnsafeMutableBufferPointer { out in
            pixels.withUnsafeBufferPointer { bytes in
                for i in 0..<plane {
                    for c in 0..<3 {
                        out[c * plane + i] = RGBImage.normalize(bytes[i * 3 + c])
                    }
                }
            }
        }
        return result
    }

    /// Images of one size stacked into a `[N, 3, height, width]` tensor normalised to [-1, 1]
    /// (see ``normalizedTensor()``).
    ///
    /// - Precondition: `images` is not empty and all images have the same size.
    package static func normalizedBatch(_ images: [RGBImage]) -> Tensor {
        precondition(!images.isEmpty, "RGBImage.normalizedBatch: no images")
        let (h, w) = (images[0].height, images[0].width)
        var result = Tensor(zeros: [images.count, 3, h, w])
        let plane = h * w
        result.withUnsafeMutableBufferPointer { out in
            for (n, image) in images.enumerated() {
                precondition(
                    image.height == h && image.width == w,
                    "RGBImage.normalizedBatch: image \(n) is \(image.height)x\(image.width), not \(h)x\(w)")
                let base = n * 3 * plane
                for i in 0..<plane {
                    for c in 0..<3 {
                        out[base + c * plane + i] = normalize(image.pixels[i * 3 + c])
                    }
                }
            }
        }
        return result
    }

    /// `(x / 255 - 0.5) / 0.5` in float32.
    @inlinable
    static func normalize(_ byte: UInt8) -> Float {
        (Float(byte) / 255 - 0.5) / 0.5
    }

    /// An image from a channel-first tensor of values in [0, 1]: `[3, H, W]`, or
    /// `[N, 3, H, W]` taking item `index`. Each byte is `quantization(255 * v)`, clamped; the
    /// default (truncation) is the original's `uint8(pred * 255)`.
    ///
    /// - Precondition: the tensor has one of those shapes and `index` is in range.
    package init(unitTensor tensor: Tensor, index: Int = 0, quantization: PixelQuantization = .truncate) {
        self.init(channelFirst: tensor, index: index) { quantization.byte(255 * $0) }
    }

    /// An image from a channel-first tensor of values in [-1, 1] (`[3, H, W]` or
    /// `[N, 3, H, W]` taking item `index`): each byte is `quantization(255 * (v + 1) / 2)`,
    /// clamped — the original's output rule for rendered frames with `.truncate`.
    ///
    /// - Precondition: the tensor has one of those shapes and `index` is in range.
    package init(
        signedTensor tensor: Tensor, index: Int = 0, quantization: PixelQuantization = .truncate
    ) {
        self.init(channelFirst: tensor, index: index) { quantization.byte(255 * (($0 + 1) / 2)) }
    }

    /// An image from interleaved `[height, width, 3]` float values on the 0...255 scale
    /// (blends, paste-back), each quantised and clamped.
    ///
    /// - Precondition: `values.count == height * width * 3`.
    package init(
        height: Int, width: Int, interleavedValues values: [Float],
        quantization: PixelQuantization = .round
    ) {
        precondition(
            values.count == height * width * 3,
            "RGBImage: \(values.count) values for \(height)x\(width)x3")
        self.init(height: height, width: width, pixels: values.map { quantization.byte($0) })
    }

    private init(channelFirst tensor: Tensor, index: Int, byte: (Float) -> UInt8) {
        let shape = tensor.shape
        let dims: (n: Int, c: Int, h: Int, w: Int)
        switch shape.count {
        case 3: dims = (1, shape[0], shape[1], shape[2])
        case 4: dims = (shape[0], shape[1], shape[2], shape[3])
        default: preconditionFailure("RGBImage: tensor of shape \(shape), expected [3,H,W] or [N,3,H,W]")
        }
        precondition(dims.c == 3, "RGBImage: tensor of shape \(shape) has \(dims.c) channels, not 3")
        precondition(index >= 0 && index < dims.n, "RGBImage: index \(index) of \(dims.n) images")
        let plane = dims.h * dims.w
        var bytes = [UInt8](repeating: 0, count: plane * 3)
        tensor.withUnsafeBufferPointer { values in
            let base = index * 3 * plane
            for i in 0..<plane {
                for c in 0..<3 {
                    bytes[i * 3 + c] = byte(values[base + c * plane + i])
                }
            }
        }
        self.init(height: dims.h, width: dims.w, pixels: bytes)
    }
}
