/// OpenCV's `cv2.resize(..., interpolation=INTER_LINEAR)` on 8-bit images, reproduced to the
/// bit.
///
/// Per axis (source size `n`, destination size `m`), with `scale = 1 / (m / n)` in float64:
/// `f = Float((d + 0.5) * scale - 0.5)` (float32), `s = floor(f)`, weights
/// `round(2048 * (1 - frac))` and `round(2048 * frac)` (11-bit fixed point, round half to
/// even). Columns left of the first or right of the last source column take that column with
/// weights `(2048, 0)`; rows are clamped to the image but keep their weights.
///
/// The horizontal pass is exact in `Int32` (`h = a0 * S[s] + a1 * S[s + 1]`). The vertical pass
/// rounds as OpenCV's vector code does (16-bit high products):
/// `(((h0 >> 4) * b0 >> 16) + ((h1 >> 4) * b1 >> 16) + 2) >> 2`, saturated to 0...255. This is
/// not the scalar rule `(h0 * b0 + h1 * b1 + 2^21) >> 22`, which differs by 1 on about 1 % of
/// bytes at non-integer ratios; checked byte for byte against opencv-python 5.0 on odd sizes,
/// gray and RGB, up and down. (An exact 2x reduction, which OpenCV sends to its area code,
/// gives the same bytes: `(a + b + c + d + 2) >> 2`.)
enum BilinearResize {
    /// Bits of the fixed-point weights (`INTER_RESIZE_COEF_BITS`).
    static let coefficientBits = 11
    static let one: Int32 = 1 << 11

    /// Destination-to-source taps along one axis.
    struct Taps {
        /// First source index of each destination index (clamped into the image).
        var first: [Int]
        /// Second source index (clamped).
        var second: [Int]
        /// Fixed-point weight of `first`.
        var weight0: [Int32]
        /// Fixed-point weight of `second`.
        var weight1: [Int32]
    }

    /// The taps of an axis of `source` elements resized to `destination`. Columns
    /// (`clampFraction == true`) drop the fraction outside the image, rows keep it.
    static func taps(source n: Int, destination m: Int, clampFraction: Bool) -> Taps {
        taps(source: n, destination: m, inverseFactor: 1.0 / (Double(m) / Double(n)), clampFraction: clampFraction)
    }

    /// The taps of an axis of `n` source elements to `m` destination elements read with the
    /// inverse factor `scale`: `src = (dst + 0.5) * scale - 0.5` (OpenCV computes `scale` as
    /// `1 / (m / n)` for a target size, `1 / fx` for a scale factor).
    static func taps(source n: Int, destination m: Int, inverseFactor scale: Double, clampFraction: Bool) -> Taps {
        var taps = Taps(first: [], second: [], weight0: [], weight1: [])
        for d in 0..<m {
            var f = Float((Double(d) + 0.5) * scale - 0.5)
            var s = Int(f.rounded(.down))
            f -= Float(s)
            if clampFraction {
                if s < 0 { (s, f) = (0, 0) }
                if s >= n - 1 { (s, f) = (n - 1, 0) }
            }
            taps.first.append(min(max(s, 0), n - 1))
            taps.second.append(min(max(s + 1, 0), n - 1))
            taps.weight0.append(fixedPoint(1 - f))
            taps.weight1.append(fixedPoint(f))
        }
        return taps
    }

    /// `saturate_cast<short>(w * 2048)` with OpenCV's rounding (half to even).
    static func fixedPoint(_ w: Float) -> Int32 {
        let v = (w * Float(one)).rounded(.toNearestOrEven)
        return Int32(min(max(v, Float(Int16.min)), Float(Int16.max)))
    }

    /// Resizes `channels`-interleaved bytes of `height x width` to `newHeight x newWidth`.
    static func resize(
        _ source: [UInt8], height: Int, width: Int, channels cn: Int,
        newHeight: Int, newWidth: Int
    ) -> [UInt8] {
        let columns = taps(source: width, destination: newWidth, clampFraction: true)
        let rows = taps(source: height, destination: newHeight, clampFraction: false)
        let rowLength = newWidth * cn

        // Horizontal pass of every source row that any destination row uses.
        var horizontal = [[Int32]](repeating: [], count: height)
        func horizontalRow(_ y: Int) -> [Int32] {
            var out = [Int32](repeating: 0, count: rowLength)
            let base = y * width * cn
            for x in 0..<newWidth {
                let s0 = base + columns.first[x] * cn
                let s1 = base + columns.second[x] * cn
                let (a0, a1) = (columns.weight0[x], columns.weight1[x])
                for k in 0..<cn {
                    out[x * cn + k] = Int32(source[s0 + k]) * a0 + Int32(source[s1 + k]) * a1
                }
            }
            return out
        }
        for y in Set(rows.first + rows.second) { horizontal[y] = horizontalRow(y) }

        var result = [UInt8](repeating: 0, count: newHeight * rowLength)
        for y in 0..<newHeight {
            let h0 = horizontal[rows.first[y]]
            let h1 = horizontal[rows.second[y]]
            let (b0, b1) = (rows.weight0[y], rows.weight1[y])
            let out = y * rowLength
            for x in 0..<rowLength {
                let t0 = multiplyHigh(saturatedInt16(h0[x] >> 4), b0)
                let t1 = multiplyHigh(saturatedInt16(h1[x] >> 4), b1)
                result[out + x] = saturatedByte((saturatedInt16(t0 + t1) + 2) >> 2)
            }
        }
        return result
    }

    /// `(a * b) >> 16` of 16-bit values (`_mm_mulhi_epi16`).
    @inline(__always)
    static func multiplyHigh(_ a: Int32, _ b: Int32) -> Int32 { (a * b) >> 16 }

    @inline(__always)
    static func saturatedInt16(_ v: Int32) -> Int32 { min(max(v, -32768), 32767) }

    @inline(__always)
    static func saturatedByte(_ v: Int32) -> UInt8 { UInt8(min(max(v, 0), 255)) }
}

/// OpenCV's `INTER_NEAREST` index rule: destination `d` reads source
/// `min(floor(d * inv), n - 1)` with `inv = 1.0 / (m / n)` in float64 — not the exact rational
/// floor (`m = 256, n = 186, d = 128` gives 92, not 93).
enum NearestResize {
    /// The source index of each destination index along one axis.
    static func indices(source n: Int, destination m: Int) -> [Int] {
        let inverse = 1.0 / (Double(m) / Double(n))
        return (0..<m).map { d in min(Int((Double(d) * inverse).rounded(.down)), n - 1) }
    }

    /// Resizes `channels`-interleaved elements of `height x width` to `newHeight x newWidth`.
    static func resize<T>(
        _ source: [T], height: Int, width: Int, channels cn: Int, newHeight: Int, newWidth: Int
    ) -> [T] {
        let xs = indices(source: width, destination: newWidth)
        let ys = indices(source: height, destination: newHeight)
        var result = [T]()
        result.reserveCapacity(newHeight * newWidth * cn)
        for y in ys {
            let row = y * width * cn
            for x in xs {
                for k in 0..<cn { result.append(source[row + x * cn + k]) }
            }
        }
        return result
    }
}

extension RGBImage {
    /// This image resized like `cv2.resize(image, (width, height))` (bilinear, OpenCV's
    /// fixed-point arithmetic; see the notes on exactness in Docs/MASKS_AND_MEDIA.md).
    ///
    /// - Precondition: the image and the new size are not empty.
    package func resizedBilinear(height newHeight: Int, width newWidth: Int) -> RGBImage {
        precondition(
            height > 0 && width > 0 && newHeight > 0 && newWidth > 0,
            "resizedBilinear: \(height)x\(width) to \(newHeight)x\(newWidth)")
        return RGBImage(
            height: newHeight, width: newWidth,
            pixels: BilinearResize.resize(
                pixels, height: height, width: width, channels: 3,
                newHeight: newHeight, newWidth: newWidth))
    }

    /// This image resized like `cv2.resize(image, (width, height), interpolation=INTER_NEAREST)`.
    ///
    /// - Precondition: the image and the new size are not empty.
    package func resizedNearest(height newHeight: Int, width newWidth: Int) -> RGBImage {
        precondition(
            height > 0 && width > 0 && newHeight > 0 && newWidth > 0,
            "resizedNearest: \(height)x\(width) to \(newHeight)x\(newWidth)")
        return RGBImage(
            height: newHeight, width: newWidth,
            pixels: NearestResize.resize(
                pixels, height: height, width: width, channels: 3,
                newHeight: newHeight, newWidth: newWidth))
    }
}

extension GrayImage {
    /// This image resized like `cv2.resize` with bilinear interpolation (see
    /// ``RGBImage/resizedBilinear(height:width:)``).
    ///
    /// - Precondition: the image and the new size are not empty.
    package func resizedBilinear(height newHeight: Int, width newWidth: Int) -> GrayImage {
        precondition(
            height > 0 && width > 0 && newHeight > 0 && newWidth > 0,
            "resizedBilinear: \(height)x\(width) to \(newHeight)x\(newWidth)")
        return GrayImage(
            height: newHeight, width: newWidth,
            pixels: BilinearResize.resize(
                pixels, height: height, width: width, channels: 1,
                newHeight: newHeight, newWidth: newWidth))
    }

    /// This image resized with OpenCV's nearest-neighbour rule.
    ///
    /// - Precondition: the image and the new size are not empty.
    package func resizedNearest(height newHeight: Int, width newWidth: Int) -> GrayImage {
        precondition(
            height > 0 && width > 0 && newHeight > 0 && newWidth > 0,
            "resizedNearest: \(height)x\(width) to \(newHeight)x\(newWidth)")
        return GrayImage(
            height: newHeight, width: newWidth,
            pixels: NearestResize.resize(
                pixels, height: height, width: width, channels: 1,
                newHeight: newHeight, newWidth: newWidth))
    }
}
