import Foundation

/// A minimal PNG encoder for tests (uncompressed deflate blocks), to make the PNG variants
/// (gray, palette, 16-bit, alpha) that a decoder must accept without another library.
package enum TinyPNG {
    /// PNG colour types.
    package enum ColorType: UInt8 {
        case gray = 0
        case rgb = 2
        case palette = 3
        case grayAlpha = 4
        case rgba = 6
    }

    /// A PNG file with the given header fields and unfiltered `rows` (each row's bytes as the
    /// PNG stores them, without the filter byte). `palette` is RGB triples (colour type 3).
    package static func encode(
        width: Int, height: Int, bitDepth: UInt8, colorType: ColorType,
        rows: [[UInt8]], palette: [UInt8] = []
    ) -> Data {
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.append(bigEndian: UInt32(width))
        header.append(bigEndian: UInt32(height))
        header.append(contentsOf: [bitDepth, colorType.rawValue, 0, 0, 0])
        png.append(chunk: "IHDR", header)
        if !palette.isEmpty { png.append(chunk: "PLTE", Data(palette)) }
        var raw = Data()
        for row in rows {
            raw.append(0)
            raw.append(contentsOf: row)
        }
        png.append(chunk: "IDAT", zlibStored(raw))
        png.append(chunk: "IEND", Data())
        return png
    }

    /// `data` in a zlib stream of stored (uncompressed) deflate blocks.
    static func zlibStored(_ data: Data) -> Data {
        var out = Data([0x78, 0x01])
        let bytes = [UInt8](data)
        var offset = 0
        repeat {
            let n = min(65535, bytes.count - offset)
            let final: UInt8 = offset + n == bytes.count ? 1 : 0
            out.append(final)
            out.append(UInt8(n & 0xFF))
            out.append(UInt8(n >> 8))
            out.append(UInt8(~n & 0xFF))
            out.append(UInt8((~n >> 8) & 0xFF))
            out.append(contentsOf: bytes[offset..<(offset + n)])
            offset += n
        } while offset < bytes.count
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        out.append(bigEndian: (b << 16) | a)
        return out
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }
}

extension Data {
    fileprivate mutating func append(bigEndian value: UInt32) {
        append(contentsOf: [
            UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF),
        ])
    }

    fileprivate mutating func append(chunk type: String, _ body: Data) {
        append(bigEndian: UInt32(body.count))
        let typed = [UInt8](type.utf8) + [UInt8](body)
        append(contentsOf: typed)
        append(bigEndian: TinyPNG.crc32(typed))
    }
}

/// A fresh empty folder under the system's temporary directory, removed by `cleanUp()`.
package struct TemporaryFolder {
    /// The folder.
    package let url: URL

    /// Creates the folder (named after `label`).
    package init(_ label: String = "diffdub-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the folder.
    package func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// The names of the files now in the folder, sorted.
    package func contents() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
    }

    /// Removes the folder and everything in it.
    package func cleanUp() { try? FileManager.default.removeItem(at: url) }
}
