/// An 8-bit RGB image: `height x width x 3` bytes, row-major, channels interleaved (HWC),
/// the layout of a decoded PNG, of `ffmpeg -pix_fmt rgb24` and of a NumPy `[H, W, 3]` uint8
/// array. A value type: copies are independent.
public struct RGBImage: Sendable, Equatable {
    /// Number of rows.
    public let height: Int
    /// Number of columns.
    public let width: Int
    /// `height * width * 3` bytes; pixel `(y, x)` channel `c` is at `(y * width + x) * 3 + c`.
    public var pixels: [UInt8]

    /// Channels per pixel (always 3: red, green, blue).
    package static let channels = 3

    /// An image over existing bytes in HWC order.
    ///
    /// - Precondition: `pixels.count == height * width * 3`, extents not negative.
    public init(height: Int, width: Int, pixels: [UInt8]) {
        precondition(height >= 0 && width >= 0, "RGBImage: negative size \(height)x\(width)")
        precondition(
            pixels.count == height * width * 3,
            "RGBImage: \(pixels.count) bytes for \(height)x\(width)x3")
        self.height = height
        self.width = width
        self.pixels = pixels
    }

    /// An image with every pixel set to `(red, green, blue)` (black by default).
    package init(height: Int, width: Int, red: UInt8 = 0, green: UInt8 = 0, blue: UInt8 = 0) {
        var bytes = [UInt8](repeating: 0, count: height * width * 3)
        if red != 0 || green != 0 || blue != 0 {
            for i in stride(from: 0, to: bytes.count, by: 3) {
                bytes[i] = red
                bytes[i + 1] = green
                bytes[i + 2] = blue
            }
        }
        self.init(height: height, width: width, pixels: bytes)
    }

    /// `[height, width, 3]`, the NumPy shape of this image.
    package var shape: [Int] { [height, width, 3] }

    /// Number of pixels (`height * width`).
    package var pixelCount: Int { height * width }

    /// Channel `channel` of pixel `(y, x)`.
    @inlinable
    package subscript(y: Int, x: Int, channel: Int) -> UInt8 {
        get { pixels[(y * width + x) * 3 + channel] }
        set { pixels[(y * width + x) * 3 + channel] = newValue }
    }

    /// The rows `rows` and columns `columns` of this image (a copy).
    ///
    /// - Precondition: the ranges lie inside the image.
    package func cropped(rows: Range<Int>, columns: Range<Int>) -> RGBImage {
        precondition(
            rows.lowerBound >= 0 && rows.upperBound <= height && columns.lowerBound >= 0
                && columns.upperBound <= width,
            "RGBImage.cropped: \(rows) x \(columns) outside \(height)x\(width)")
        var out = [UInt8]()
        out.reserveCapacity(rows.count * columns.count * 3)
        for y in rows {
            let start = (y * width + columns.lowerBound) * 3
            out.append(contentsOf: pixels[start..<(start + columns.count * 3)])
        }
        return RGBImage(height: rows.count, width: columns.count, pixels: out)
    }

    /// This image with every pixel where `mask` is 0 set to black (`image * mask` for a
    /// 0/1 mask, as the original multiplies the frame by its binary mask).
    ///
    /// - Precondition: `mask` has this image's size.
    package func masked(by mask: GrayImage) -> RGBImage {
        precondition(
            mask.height == height && mask.width == width,
            "RGBImage.masked: mask \(mask.height)x\(mask.width) for image \(height)x\(width)")
        var out = self
        for i in 0..<pixelCount where mask.pixels[i] == 0 {
            out.pixels[i * 3] = 0
            out.pixels[i * 3 + 1] = 0
            out.pixels[i * 3 + 2] = 0
        }
        return out
    }
}
