/// Paste-back of a regenerated face region into the original frame.
///
/// The renderer works on an `S x S` face; the output keeps the input's resolution by scaling
/// the rendered face back up and blending it in only where the mouth mask is, with a soft
/// (feathered) edge so no seam shows. Pixels outside the feathered mask keep their original
/// bytes exactly.
package enum Compositing {
    /// A per-pixel blending weight in [0, 1] for a `size x size` region from a binary mask
    /// (values 0/1, any size): the mask scaled to `size` (bilinear on 0/255) and blurred with a
    /// box filter of radius `feather` applied twice (a tent-shaped edge `2 * feather` wide).
    package static func featheredAlpha(mask: GrayImage, size: Int, feather: Int) -> [Float] {
        precondition(size > 0 && feather >= 0, "featheredAlpha: size \(size), feather \(feather)")
        let scaled = GrayImage(
            height: mask.height, width: mask.width, pixels: mask.pixels.map { $0 == 0 ? 0 : 255 }
        ).resizedBilinear(height: size, width: size)
        var alpha = scaled.pixels.map { Float($0) / 255 }
        if feather > 0 {
            for _ in 0..<2 {
                alpha = boxBlur(alpha, height: size, width: size, radius: feather)
            }
        }
        return alpha
    }

    /// Separable box blur with edge clamping.
    static func boxBlur(_ values: [Float], height: Int, width: Int, radius: Int) -> [Float] {
        var horizontal = [Float](repeating: 0, count: values.count)
        let norm = 1 / Float(2 * radius + 1)
        for y in 0..<height {
            let row = y * width
            for x in 0..<width {
                var sum: Float = 0
                for d in -radius...radius {
                    sum += values[row + min(max(x + d, 0), width - 1)]
                }
                horizontal[row + x] = sum * norm
            }
        }
        var result = [Float](repeating: 0, count: values.count)
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for d in -radius...radius {
                    sum += horizontal[min(max(y + d, 0), height - 1) * width + x]
                }
                result[y * width + x] = sum * norm
            }
        }
        return result
    }
}

extension RGBImage {
    /// This image with `patch` blended into the square whose top-left corner is `(x, y)`:
    /// `out = alpha * patch + (1 - alpha) * self`, rounded; pixels with `alpha == 0` are kept
    /// byte for byte.
    ///
    /// - Precondition: `alpha.count == patch.pixelCount` and the patch lies inside the image.
    package func blending(_ patch: RGBImage, alpha: [Float], atX x0: Int, y y0: Int) -> RGBImage {
        precondition(alpha.count == patch.pixelCount, "blending: \(alpha.count) weights for \(patch.pixelCount) pixels")
        precondition(
            x0 >= 0 && y0 >= 0 && x0 + patch.width <= width && y0 + patch.height <= height,
            "blending: a \(patch.width)x\(patch.height) patch at (\(x0), \(y0)) leaves the \(width)x\(height) image")
        var result = self
        result.pixels.withUnsafeMutableBufferPointer { out in
            patch.pixels.withUnsafeBufferPointer { source in
                for py in 0..<patch.height {
                    for px in 0..<patch.width {
                        let a = alpha[py * patch.width + px]
                        if a <= 0 { continue }
                        let o = ((y0 + py) * width + x0 + px) * 3
                        let s = (py * patch.width + px) * 3
                        for c in 0..<3 {
                            let v = a * Float(source[s + c]) + (1 - a) * Float(out[o + c])
                            out[o + c] = PixelQuantization.round.byte(v)
                        }
                    }
                }
            }
        }
        return result
    }
}
