import CPNG
import DiffDubCore
import Foundation

/// PNG files through libpng's simplified API (no `setjmp`/`longjmp`): any PNG (palette,
/// gray, 16-bit, with alpha) is read as 8-bit RGB; images are written as 8-bit RGB PNGs.
///
/// Conversions on read, done by libpng: palette and gray are expanded to RGB; 16-bit samples
/// are scaled to 8 bits (taken as sRGB-encoded, as OpenCV and PIL take them, not as linear);
/// an alpha channel is removed by compositing onto black.
public enum PNGFile {
    /// The image in the PNG file at `url`, as 8-bit RGB.
    ///
    /// - Throws: `ImageError` naming the file; images over
    ///   `limits`' ``ReaderLimits/maximumImagePixels`` are refused before their pixels are allocated.
    public static func read(_ url: URL, limits: ReaderLimits = .standard) throws -> RGBImage {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, url.path) != 0 else {
            throw ImageError.unreadable(path: url.path, reason: message(of: &image))
        }
        return try finishRead(&image, path: url.path, limits: limits)
    }

    /// The image in the PNG bytes `data`, as 8-bit RGB (within `limits`, as ``read(_:limits:)``);
    /// `path` names them in errors.
    package static func decode(_ data: Data, path: String, limits: ReaderLimits = .standard) throws -> RGBImage {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        // libpng keeps a pointer to the bytes until the read finishes or is freed.
        return try data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, png_image_begin_read_from_memory(&image, base, raw.count) != 0 else {
                throw ImageError.unreadable(path: path, reason: raw.isEmpty ? "empty file" : message(of: &image))
            }
            return try finishRead(&image, path: path, limits: limits)
        }
    }

    /// Checks the size of a begun read, then decodes its pixels as RGB.
    private static func finishRead(_ image: inout png_image, path: String, limits: ReaderLimits) throws -> RGBImage {
        image.format = png_uint_32(PNG_FORMAT_RGB)
        image.flags |= png_uint_32(PNG_IMAGE_FLAG_16BIT_sRGB)
        let (width, height) = (Int(image.width), Int(image.height))
        guard width > 0 && height > 0 else {
            png_image_free(&image)
            throw ImageError.empty(path: path)
        }
        let limit = limits.maximumImagePixels
        let (pixelCount, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixelCount <= limit else {
            png_image_free(&image)
            throw ImageError.tooLarge(path: path, width: width, height: height, limit: limit)
        }
        var pixels = [UInt8](repeating: 0, count: pixelCount * 3)
        let ok = pixels.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, nil, buffer.baseAddress, png_int_32(width * 3), nil)
        }
        guard ok != 0 else {
            let reason = message(of: &image)
            png_image_free(&image)
            throw ImageError.unreadable(path: path, reason: reason)
        }
        return RGBImage(height: height, width: width, pixels: pixels)
    }

    /// Writes `image` as an 8-bit RGB PNG at `url`, through a temporary file renamed into
    /// place, so a failed write leaves no partial file. `fast` trades file size for speed
    /// (libpng's `PNG_IMAGE_FLAG_FAST`: faster, larger files), for scratch frames.
    public static func write(_ image: RGBImage, to url: URL, fast: Bool = false) throws {
        guard image.width > 0 && image.height > 0 else { throw ImageError.empty(path: url.path) }
        let temporary = AtomicFile.temporaryURL(for: url)
        var png = png_image()
        png.version = png_uint_32(PNG_IMAGE_VERSION)
        png.width = png_uint_32(image.width)
        png.height = png_uint_32(image.height)
        png.format = png_uint_32(PNG_FORMAT_RGB)
        if fast { png.flags |= png_uint_32(PNG_IMAGE_FLAG_FAST) }
        let ok = image.pixels.withUnsafeBytes { buffer in
            png_image_write_to_file(
                &png, temporary.path, 0, buffer.baseAddress, png_int_32(image.width * 3), nil)
        }
        guard ok != 0 else {
            let reason = message(of: &png)
            png_image_free(&png)
            try? FileManager.default.removeItem(at: temporary)
            throw ImageError.unwritable(path: url.path, reason: reason)
        }
        do {
            try AtomicFile.commit(temporary, to: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ImageError.unwritable(path: url.path, reason: "\(error)")
        }
    }

    /// libpng's message (`png_image.message`, a NUL-terminated `char[64]`).
    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            let text = String(decoding: bytes, as: UTF8.self)
            return text.isEmpty ? "unknown libpng error" : text
        }
    }
}
