import CPNG
import Foundation

extension PNGFile {
    /// What a PNG file stores, before ``read(_:limits:)`` converts it to 8-bit RGB: for readers that
    /// must refuse anything but the 8-bit RGB images this package writes (a job's frames).
    package struct StoredFormat: Sendable, Equatable, CustomStringConvertible {
        /// Width in pixels.
        package var width: Int
        /// Height in pixels.
        package var height: Int
        /// Colour (RGB) rather than gray.
        package var isColor: Bool
        /// An alpha channel (or a transparent colour).
        package var hasAlpha: Bool
        /// 16 bits per sample.
        package var is16Bit: Bool
        /// A palette image.
        package var isPalette: Bool

        /// Whether the file is 8-bit RGB without alpha or palette, read without conversion.
        package var isRGB8: Bool { isColor && !hasAlpha && !is16Bit && !isPalette }

        /// `8-bit RGB`, `16-bit gray with alpha`, `8-bit RGB palette`.
        package var description: String {
            "\(is16Bit ? 16 : 8)-bit \(isColor ? "RGB" : "gray")\(hasAlpha ? " with alpha" : "")\(isPalette ? " palette" : "")"
        }
    }

    /// The stored format of the PNG bytes `data` (only the header chunks are read); `path`
    /// names them in errors.
    ///
    /// - Throws: ``ImageError/unreadable(path:reason:)`` for bytes that are not a PNG.
    package static func storedFormat(of data: Data, path: String) throws -> StoredFormat {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        return try data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, png_image_begin_read_from_memory(&image, base, raw.count) != 0 else {
                let reason = withUnsafeBytes(of: &image.message) { bytes in
                    String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                }
                throw ImageError.unreadable(path: path, reason: raw.isEmpty ? "empty file" : reason)
            }
            defer { png_image_free(&image) }
            let format = image.format
            return StoredFormat(
                width: Int(image.width), height: Int(image.height),
                isColor: format & png_uint_32(PNG_FORMAT_FLAG_COLOR) != 0,
                hasAlpha: format & png_uint_32(PNG_FORMAT_FLAG_ALPHA) != 0,
                is16Bit: format & png_uint_32(PNG_FORMAT_FLAG_LINEAR) != 0,
                isPalette: format & png_uint_32(PNG_FORMAT_FLAG_COLORMAP) != 0)
        }
    }
}
