/// The entries of a zip archive held in a ``MappedFile``, as `torch.save` writes them:
/// stored (uncompressed), possibly zip64.
///
/// Entries are looked up by their name inside the archive and read in place: nothing is
/// ever extracted to the file system, so names with `..`, absolute paths or symlink
/// attributes cannot reach outside it; compressed entries are refused (no zip bomb can
/// expand), and the entry count is checked against the directory's size and
/// ``ReaderLimits/maximumZipEntries``.
///
/// Reading goes end-of-central-directory record (and the zip64 locator and record when a
/// field is saturated) -> central directory -> each entry's local header, whose name and
/// extra field lengths give where the data starts (`offset + 30 + name + extra`; torch pads the
/// local extra field so that data is 64-byte aligned).
package struct ZipArchive {
    /// One entry: where its data lies in the file.
    package struct Entry: Sendable {
        /// Name inside the archive (`stage2/data/17`).
        package var name: String
        /// Compression method (0 = stored).
        package var method: Int
        /// Offset of the local header in the file.
        package var localHeaderOffset: Int
        /// Size of the stored data.
        package var compressedSize: Int
        /// Size of the data once uncompressed.
        package var uncompressedSize: Int
    }

    /// The mapped file.
    package let file: MappedFile
    /// The entries, in central-directory order.
    package let entries: [Entry]
    private let index: [String: Int]

    private static let endOfCentralDirectorySignature: UInt32 = 0x0605_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    private static let zip64EndSignature: UInt32 = 0x0606_4B50
    private static let centralHeaderSignature: UInt32 = 0x0201_4B50
    private static let localHeaderSignature: UInt32 = 0x0403_4B50

    /// Reads the central directory of `file`, of at most `limits`' ``ReaderLimits/maximumZipEntries``
    /// entries.
    package init(_ file: MappedFile, limits: ReaderLimits = .standard) throws {
        self.file = file
        let reader = ByteReader(file.bytes, path: file.path)
        let path = file.path
        // End of central directory: 22 bytes plus a comment of up to 65535 bytes.
        guard file.count >= 22 else {
            throw CheckpointError.unrecognizedFormat(path: path, reason: "too short for a zip archive")
        }
        var eocd = -1
        let lowest = max(0, file.count - 22 - 65535)
        var candidate = file.count - 22
        while candidate >= lowest {
            if try reader.u32(candidate) == Self.endOfCentralDirectorySignature {
                eocd = candidate
                break
            }
            candidate -= 1
        }
        guard eocd >= 0 else {
            if try reader.u32(0) == Self.localHeaderSignature {
                throw CheckpointError.truncated(
                    path: path, what: "zip archive without its end-of-central-directory record")
            }
            throw CheckpointError.unrecognizedFormat(path: path, reason: "no zip end-of-central-directory record")
        }
        var entryCount = Int(try reader.u16(eocd + 10))
        var directorySize = Int(try reader.u32(eocd + 12))
        var directoryOffset = Int(try reader.u32(eocd + 16))
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            let locator = eocd - 20
            guard locator >= 0, try reader.u32(locator) == Self.zip64LocatorSignature else {
                throw CheckpointError.malformedZip(path: path, reason: "zip64 fields without a zip64 locator")
            }
            let record = try reader.int64(locator + 8)
            guard try reader.u32(record) == Self.zip64EndSignature else {
                throw CheckpointError.malformedZip(path: path, reason: "bad zip64 end-of-central-directory signature")
            }
            entryCount = try reader.int64(record + 32)
            directorySize = try reader.int64(record + 40)
            directoryOffset = try reader.int64(record + 48)
        }
        guard directoryOffset <= file.count, directorySize <= file.count - directoryOffset else {
            throw CheckpointError.truncated(path: path, what: "central directory reaches past the end of the file")
        }
        // Each central header takes at least 46 bytes: a count the directory cannot hold is
        // refused before anything is allocated for it.
        let entryLimit = limits.maximumZipEntries
        guard entryCount <= entryLimit else {
            throw CheckpointError.limitExceeded(
                path: path, reason: "zip archive of \(entryCount) entries (limit \(entryLimit), DIFFDUB_MAX_ZIP_ENTRIES)")
        }
        guard entryCount <= directorySize / 46 else {
            throw CheckpointError.malformedZip(
                path: path, reason: "\(entryCount) entries cannot fit in a central directory of \(directorySize) bytes")
        }
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        var cursor = directoryOffset
        for _ in 0..<entryCount {
            guard try reader.u32(cursor) == Self.centralHeaderSignature else {
                throw CheckpointError.malformedZip(
                    path: path, reason: "bad central directory header at offset \(cursor)")
            }
            let method = Int(try reader.u16(cursor + 10))
            var compressed = Int(try reader.u32(cursor + 20))
            var uncompressed = Int(try reader.u32(cursor + 24))
            let nameLength = Int(try reader.u16(cursor + 28))
            let extraLength = Int(try reader.u16(cursor + 30))
            let commentLength = Int(try reader.u16(cursor + 32))
            var localOffset = Int(try reader.u32(cursor + 42))
            let name = try reader.string(cursor + 46, count: nameLength)
            // Zip64 extended information: the saturated fields, in this order.
            var extra = cursor + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let tag = try reader.u16(extra)
                let size = Int(try reader.u16(extra + 2))
                if tag == 0x0001 {
                    var field = extra + 4
                    if uncompressed == 0xFFFF_FFFF {
                        uncompressed = try reader.int64(field)
                        field += 8
                    }
                    if compressed == 0xFFFF_FFFF {
                        compressed = try reader.int64(field)
                        field += 8
                    }
                    if localOffset == 0xFFFF_FFFF { localOffset = try reader.int64(field) }
                }
                extra += 4 + size
            }
            index[name] = entries.count
            entries.append(
                Entry(
                    name: name, method: method, localHeaderOffset: localOffset,
                    compressedSize: compressed, uncompressedSize: uncompressed))
            cursor = extraEnd + commentLength
        }
        self.entries = entries
        self.index = index
    }

    /// The entry named `name`, if any.
    package func entry(named name: String) -> Entry? {
        index[name].map { entries[$0] }
    }

    /// The file range of `entry`'s data, checked against the file's size.
    ///
    /// - Throws: ``CheckpointError/compressedEntry(path:entry:method:)`` for compressed entries,
    ///   ``CheckpointError/truncated(path:what:)`` when the data reaches past the end.
    package func dataRange(of entry: Entry) throws -> Range<Int> {
        let path = file.path
        guard entry.method == 0 else {
            throw CheckpointError.compressedEntry(path: path, entry: entry.name, method: entry.method)
        }
        let reader = ByteReader(file.bytes, path: path)
        let local = entry.localHeaderOffset
        guard try reader.u32(local) == Self.localHeaderSignature else {
            throw CheckpointError.malformedZip(
                path: path, reason: "bad local header for '\(entry.name)' at offset \(local)")
        }
        let nameLength = Int(try reader.u16(local + 26))
        let extraLength = Int(try reader.u16(local + 28))
        let start = local + 30 + nameLength + extraLength
        guard start <= file.count, entry.compressedSize <= file.count - start else {
            throw CheckpointError.truncated(
                path: path, what: "data of '\(entry.name)' reaches past the end of the file")
        }
        return start..<(start + entry.compressedSize)
    }
}

/// Bounds-checked little-endian reads from a byte buffer; every failure is a
/// ``CheckpointError/truncated(path:what:)``.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let path: String

    init(_ bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    private func check(_ offset: Int, _ count: Int) throws {
        guard offset >= 0, count <= bytes.count, offset <= bytes.count - count else {
            throw CheckpointError.truncated(
                path: path, what: "\(count) bytes at offset \(offset) are past the end (\(bytes.count) bytes)")
        }
    }

    func u16(_ offset: Int) throws -> UInt16 {
        try check(offset, 2)
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    func u32(_ offset: Int) throws -> UInt32 {
        try check(offset, 4)
        return (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }

    func u64(_ offset: Int) throws -> UInt64 {
        try check(offset, 8)
        return (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }

    /// A 64-bit size or offset that must fit in `Int` and be non-negative.
    func int64(_ offset: Int) throws -> Int {
        let value = try u64(offset)
        guard value <= UInt64(Int.max) else {
            throw CheckpointError.truncated(
                path: path, what: "size \(value) at offset \(offset) is larger than the file")
        }
        return Int(value)
    }

    func string(_ offset: Int, count: Int) throws -> String {
        try check(offset, count)
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]), as: UTF8.self)
    }
}
