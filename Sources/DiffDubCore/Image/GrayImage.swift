/// An 8-bit single-channel image (a mask or a gray frame): `height x width` bytes, row-major.
///
/// Masks built by ``FaceMask`` hold 0 (outside) and 1 (inside).
package struct GrayImage: Sendable, Equatable {
    /// Number of rows.
    package let height: Int
    /// Number of columns.
    package let width: Int
    /// `height * width` bytes; pixel `(y, x)` is at `y * width + x`.
    package var pixels: [UInt8]

    /// An image over existing bytes.
    ///
    /// - Precondition: `pixels.count == height * width`, extents not negative.
    package init(height: Int, width: Int, pixels: [UInt8]) {
        precondition(height >= 0 && width >= 0, "GrayImage: negative size \(height)x\(width)")
        precondition(
            pixels.count == height * width, "GrayImage: \(pixels.count) bytes for \(height)x\(width)")
        self.height = height
        self.width = width
        self.pixels = pixels
    }

    /// An image with every pixel set to `value` (0 by default).
    package init(height: Int, width: Int, value: UInt8 = 0) {
        self.init(
            height: height, width: width,
            pixels: [UInt8](repeating: value, count: max(0, height) * max(0, width)))
    }

    /// `[height, width]`, the NumPy shape of this image.
    package var shape: [Int] { [height, width] }

    /// Pixel `(y, x)`.
    @inlinable
    package subscript(y: Int, x: Int) -> UInt8 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// The smallest box holding every non-zero pixel, as inclusive `(rows, columns)` bounds,
    /// or `nil` when every pixel is 0.
    package var nonZeroBounds: (rows: ClosedRange<Int>, columns: ClosedRange<Int>)? {
        var top = Int.max
        var bottom = -1
        var left = Int.max
        var right = -1
        for y in 0..<height {
            let row = y * width
            for x in 0..<width where pixels[row + x] != 0 {
                top = min(top, y)
                bottom = max(bottom, y)
                left = min(left, x)
                right = max(right, x)
            }
        }
        guard bottom >= 0 else { return nil }
        return (top...bottom, left...right)
    }

    /// A `[1, 1, height, width]` tensor with 1 where the pixel is non-zero and 0 elsewhere, or
    /// the reverse when `inverted` — for the mouth mask M, `inverted: true` gives the
    /// sampler's keep-mask `1 - M` (1 where the original pixels are kept).
    package func binaryTensor(inverted: Bool = false) -> Tensor {
        let (on, off): (Float, Float) = inverted ? (0, 1) : (1, 0)
        return Tensor(shape: [1, 1, height, width], scalars: pixels.map { $0 != 0 ? on : off })
    }

    /// Pixels as floats in a `[1, 1, height, width]` tensor (the values as they are: a 0/1
    /// mask stays 0/1).
    package func tensor() -> Tensor {
        Tensor(shape: [1, 1, height, width], scalars: pixels.map { Float($0) })
    }
}
