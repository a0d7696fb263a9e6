/// `cv2.resize(image, None, fx=s, fy=s, interpolation=INTER_LINEAR)`: the destination size is
/// `round(n * s)` (half to even, OpenCV's `saturate_cast<int>`) and the mapping uses the
/// factor itself, `src = (dst + 0.5) / s - 0.5`, not the ratio of the sizes (they differ
/// when `n * s` is not an integer: 1280 x 600/720 gives 1067 columns, each mapped with 1.2).
/// The fixed-point arithmetic is ``BilinearResize``'s.
extension BilinearResize {
    /// The destination extent of `n` scaled by `s`.
    static func scaledExtent(_ n: Int, factor s: Double) -> Int {
        Int((Double(n) * s).rounded(.toNearestOrEven))
    }

    /// Resizes interleaved 8-bit `source` (`height x width x cn`) by the factor `s` on both
    /// axes; returns the bytes and the new size.
    static func resize(
        _ source: [UInt8], height: Int, width: Int, channels cn: Int, factor s: Double
    ) -> (pixels: [UInt8], height: Int, width: Int) {
        let newHeight = scaledExtent(height, factor: s)
        let newWidth = scaledExtent(width, factor: s)
        let columns = taps(source: width, destination: newWidth, inverseFactor: 1 / s, clampFraction: true)
        let rows = taps(source: height, destination: newHeight, inverseFactor: 1 / s, clampFraction: false)
        let rowLength = newWidth * cn
        var horizontal = [[Int32]](repeating: [], count: height)
        for y in Set(rows.first + rows.second) {
            var out = [Int32](repeating: 0, count: rowLength)
            let base = y * width * cn
            for x in 0..<newWidth {
                let s0 = base + columns.first[x] * cn
                let s1 = base + columns.second[x] * cn
                for k in 0..<cn {
                    out[x * cn + k] = Int32(source[s0 + k]) * columns.weight0[x] + Int32(source[s1 + k]) * columns.weight1[x]
                }
            }
            horizontal[y] = out
        }
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
        return (result, newHeight, newWidth)
    }
}

extension RGBImage {
    /// This image scaled by `factor` like `cv2.resize(image, None, fx=factor, fy=factor)`
    /// (bilinear; see ``BilinearResize``). A factor of 1 returns the image unchanged.
    ///
    /// - Precondition: `factor > 0` and the result is not empty.
    package func scaledBilinear(by factor: Double) -> RGBImage {
        precondition(factor > 0, "scaledBilinear: factor \(factor)")
        if factor == 1 { return self }
        let (bytes, h, w) = BilinearResize.resize(pixels, height: height, width: width, channels: 3, factor: factor)
        return RGBImage(height: h, width: w, pixels: bytes)
    }
}
