/// A pixel position with integer coordinates (column `x`, row `y`).
package struct PixelPoint: Sendable, Hashable {
    /// Column.
    package var x: Int
    /// Row.
    package var y: Int

    /// The point `(x, y)`.
    package init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}

/// OpenCV's `cv2.fillPoly(image, [polygon], color)` (8-connected outline, `shift = 0`)
/// reproduced pixel for pixel, for any polygon (convex or not, self-intersecting included).
///
/// It is the union of two things, as in OpenCV:
/// 1. the outline: every edge `v[i-1] -> v[i]` (closing edge first) drawn as an 8-connected
///    Bresenham line from its left end (see `drawLine`), clipped to the image;
/// 2. the scanline fill: each non-horizontal edge keeps `x` in 16.16 fixed point starting at
///    its upper vertex, stepping by `dx = ((x1 - x0) << 16) / (y1 - y0)` (integer division,
///    truncating) per row; it is active on rows `y0 ..< y1`. On each row the active edges,
///    sorted by `x`, are paired (even-odd) and each pair fills columns
///    `ceil(left) ... floor(right)`. An edge with an end outside the image takes `x` and `dx`
///    from its clipped segment (as recent OpenCV does, "more accurate PolyEdge"): `dx` from the
///    clipped ends (unless clipping left it horizontal, then the clipped `x`s over the original
///    rows), `x` extrapolated from the clipped upper end back to the original upper row.
///
/// The outline is what makes the boundary inclusive; the fill alone leaves out the bottom row
/// and edge pixels whose fixed-point `x` falls just inside.
enum PolygonFill {
    /// An edge of the scanline fill.
    struct Edge {
        var y0: Int
        var y1: Int
        /// 16.16 fixed-point `x` at row `y0`.
        var x: Int64
        /// Change of `x` per row, 16.16 fixed point.
        var dx: Int64
    }

    static let shift: Int64 = 16

    /// Fills `polygon` with `value` in `image` (`height x width` bytes, row-major).
    static func fill(
        _ polygon: [PixelPoint], value: UInt8,
        into image: inout [UInt8], height: Int, width: Int
    ) {
        guard !polygon.isEmpty else { return }
        var edges: [Edge] = []
        var previous = polygon[polygon.count - 1]
        for point in polygon {
            drawLine(
                from: previous, to: point, value: value, into: &image, height: height, width: width)
            if previous.y != point.y {
                edges.append(edge(from: previous, to: point, height: height, width: width))
            }
            previous = point
        }
        fillScanlines(edges, value: value, into: &image, height: height, width: width)
    }

    /// The fill edge of the segment `p -> q` (`p.y != q.y`), built from its clipped ends when
    /// an end lies outside the image.
    static func edge(from p: PixelPoint, to q: PixelPoint, height: Int, width: Int) -> Edge {
        var (c0, c1) = (p, q)
        if !contains(p, height: height, width: width) || !contains(q, height: height, width: width) {
            let clipped = clip(p, q, height: height, width: width)
            // OpenCV keeps the clipped ends even when the segment misses the image.
            c0.x = clipped.first.x
            c1.x = clipped.second.x
            if clipped.first.y != clipped.second.y {
                c0.y = clipped.first.y
                c1.y = clipped.second.y
            }
        }
        // Wrapping arithmetic: only absurd coordinates (far outside the image) can overflow,
        // where OpenCV's result is undefined too; this way they cannot trap.
        let (x0, x1) = (Int64(c0.x) &<< shift, Int64(c1.x) &<< shift)
        let rows = Int64(c1.y) &- Int64(c0.y)
        let dx = rows == -1 ? 0 &- (x1 &- x0) : (x1 &- x0) / rows
        if p.y < q.y {
            return Edge(y0: p.y, y1: q.y, x: x0 &+ (Int64(p.y) &- Int64(c0.y)) &* dx, dx: dx)
        } else {
            return Edge(y0: q.y, y1: p.y, x: x1 &+ (Int64(q.y) &- Int64(c1.y)) &* dx, dx: dx)
        }
    }

    static func contains(_ p: PixelPoint, height: Int, width: Int) -> Bool {
        p.x >= 0 && p.x < width && p.y >= 0 && p.y < height
    }

    /// The even-odd scanline fill of `edges` (OpenCV's `FillEdgeCollection`).
    static func fillScanlines(
        _ edges: [Edge], value: UInt8, into image: inout [UInt8], height: Int, width: Int
    ) {
        guard edges.count >= 2,
            let top = edges.map(\.y0).min(), let bottom = edges.map(\.y1).max()
        else { return }
        let (first, end) = (max(top, 0), min(bottom, height))
        guard first < end else { return }
        var xs: [Int64] = []
        for y in first..<end {
            xs.removeAll(keepingCapacity: true)
            for edge in edges where edge.y0 <= y && y < edge.y1 {
                xs.append(edge.x &+ Int64(y - edge.y0) &* edge.dx)
            }
            xs.sort()
            var i = 0
            while i + 1 < xs.count {
                var left = Int((xs[i] &+ ((1 << shift) - 1)) >> shift)
                var right = Int(xs[i + 1] >> shift)
                i += 2
                guard left < width && right >= 0 else { continue }
                left = max(left, 0)
                right = min(right, width - 1)
                if left <= right {
                    let row = y * width
                    for x in left...right { image[row + x] = value }
                }
            }
        }
    }

    /// An 8-connected line from `p` to `q` as OpenCV's `LineIterator` walks it: endpoints
    /// outside the image are first clipped to it (`clipLine`), the walk starts at the left end,
    /// steps along the major axis every pixel and along the minor axis when the error term
    /// `e` (starting at `major - 2 * minor`, decreased by `2 * minor` per step and increased
    /// by `2 * major` on a minor step) was negative.
    static func drawLine(
        from p: PixelPoint, to q: PixelPoint, value: UInt8,
        into image: inout [UInt8], height: Int, width: Int
    ) {
        let clipped = clip(p, q, height: height, width: width)
        guard clipped.visible else { return }
        var (a, b) = (clipped.first, clipped.second)
        if b.x < a.x { swap(&a, &b) }
        var dx = b.x - a.x
        var dy = b.y - a.y
        let stepY = dy < 0 ? -1 : 1
        dy = abs(dy)
        let vertical = dy > dx
        if vertical { swap(&dx, &dy) }
        // Now dx is the major extent, dy the minor one.
        var error = dx - 2 * dy
        var (x, y) = (a.x, a.y)
        for _ in 0...dx {
            image[y * width + x] = value
            let minorStep = error < 0
            error += -2 * dy + (minorStep ? 2 * dx : 0)
            if vertical {
                y += stepY
                if minorStep { x += 1 }
            } else {
                x += 1
                if minorStep { y += stepY }
            }
        }
    }

    /// OpenCV's `clipLine`: the segment cut to the image and whether any of it is visible. When
    /// it is not, the ends are left as far as the algorithm moved them (OpenCV's callers may
    /// still read them).
    static func clip(_ p: PixelPoint, _ q: PixelPoint, height: Int, width: Int) -> (
        first: PixelPoint, second: PixelPoint, visible: Bool
    ) {
        guard width > 0 && height > 0 else { return (p, q, false) }
        let right = Int64(width - 1)
        let bottom = Int64(height - 1)
        var (x1, y1, x2, y2) = (Int64(p.x), Int64(p.y), Int64(q.x), Int64(q.y))
        func code(_ x: Int64, _ y: Int64) -> Int {
            (x < 0 ? 1 : 0) + (x > right ? 2 : 0) + (y < 0 ? 4 : 0) + (y > bottom ? 8 : 0)
        }
        func horizontalCode(_ x: Int64) -> Int { (x < 0 ? 1 : 0) + (x > right ? 2 : 0) }
        /// `trunc(Double(a) * Double(b) / Double(c))`, as OpenCV computes the cut.
        func cut(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64 {
            // Clamped so that absurd coordinates cannot trap the conversion (OpenCV: undefined).
            let v = (Double(a) * Double(b) / Double(c)).rounded(.towardZero)
            return Int64(min(max(v, -4.0e18), 4.0e18))
        }
        var c1 = code(x1, y1)
        var c2 = code(x2, y2)
        if (c1 & c2) == 0 && (c1 | c2) != 0 {
            if c1 & 12 != 0 {
                let a = c1 < 8 ? 0 : bottom
                x1 += cut(a - y1, x2 - x1, y2 - y1)
                y1 = a
                c1 = horizontalCode(x1)
            }
            if c2 & 12 != 0 {
                let a = c2 < 8 ? 0 : bottom
                x2 += cut(a - y2, x2 - x1, y2 - y1)
                y2 = a
                c2 = horizontalCode(x2)
            }
            if (c1 & c2) == 0 && (c1 | c2) != 0 {
                if c1 != 0 {
                    let a = c1 == 1 ? 0 : right
                    y1 += cut(a - x1, y2 - y1, x2 - x1)
                    x1 = a
                    c1 = 0
                }
                if c2 != 0 {
                    let a = c2 == 1 ? 0 : right
                    y2 += cut(a - x2, y2 - y1, x2 - x1)
                    x2 = a
                    c2 = 0
                }
            }
        }
        return (PixelPoint(x: Int(x1), y: Int(y1)), PixelPoint(x: Int(x2), y: Int(y2)), (c1 | c2) == 0)
    }
}

extension GrayImage {
    /// This image with `polygon` filled with `value` exactly as `cv2.fillPoly` (8-connected,
    /// integer vertices) fills it: outline included, even-odd rule inside.
    package func filling(polygon: [PixelPoint], value: UInt8 = 1) -> GrayImage {
        var out = self
        PolygonFill.fill(polygon, value: value, into: &out.pixels, height: height, width: width)
        return out
    }

    /// This image dilated with a `(2 * radius + 1)` square: each pixel becomes the maximum of
    /// the pixels of the image within `radius` rows and columns (pixels outside the image never
    /// contribute). `n` dilations with a `k x k` square (`cv2.dilate(m, ones((k, k)),
    /// iterations=n)`, odd `k`) equal one with radius `n * (k - 1) / 2`.
    package func dilated(radius: Int) -> GrayImage {
        precondition(radius >= 0, "dilated: negative radius \(radius)")
        guard radius > 0, height > 0, width > 0 else { return self }
        var rows = [UInt8](repeating: 0, count: pixels.count)
        for y in 0..<height {
            let base = y * width
            for x in 0..<width {
                var m: UInt8 = 0
                for k in max(0, x - radius)...min(width - 1, x + radius) {
                    m = max(m, pixels[base + k])
                }
                rows[base + x] = m
            }
        }
        var out = GrayImage(height: height, width: width)
        for y in 0..<height {
            let range = max(0, y - radius)...min(height - 1, y + radius)
            for x in 0..<width {
                var m: UInt8 = 0
                for k in range { m = max(m, rows[k * width + x]) }
                out.pixels[y * width + x] = m
            }
        }
        return out
    }
}
