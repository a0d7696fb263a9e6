#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory (`mmap`, `PROT_READ`, `MAP_PRIVATE`).
///
/// The mapping lives as long as this object: tensors that borrow mapped memory
/// (``DiffDubCore/TensorStorage/init(borrowing:count:owner:)``) keep it alive, so a
/// checkpoint of any size costs address space, not resident memory, until it is read.
package final class MappedFile: @unchecked Sendable {
    /// The file's path (used in errors).
    package let path: String
    /// The file's bytes (empty for an empty file).
    package let bytes: UnsafeRawBufferPointer

    /// Maps the file at `path`.
    ///
    /// - Throws: ``CheckpointError/io(path:reason:)`` when it cannot be opened or mapped.
    package init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw CheckpointError.io(path: path, reason: "cannot open file (\(String(cString: strerror(errno))))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw CheckpointError.io(path: path, reason: "cannot stat file (\(String(cString: strerror(errno))))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw CheckpointError.io(path: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0),
            address != MAP_FAILED
        else {
            throw CheckpointError.io(path: path, reason: "cannot map file (\(String(cString: strerror(errno))))")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    /// A copy of `data` held in memory under the name `path` (for bytes that are not in a
    /// file: fuzzing, downloads kept in memory). Readers treat it exactly like a mapped file.
    package init(copying data: UnsafeRawBufferPointer, path: String) {
        self.path = path
        if data.isEmpty {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            ownsAllocation = false
            isMapped = false
            return
        }
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: data.count, alignment: 64)
        copy.copyMemory(from: data)
        bytes = UnsafeRawBufferPointer(copy)
        ownsAllocation = true
        isMapped = false
    }

    private var ownsAllocation = false
    private var isMapped = true

    /// Number of bytes.
    package var count: Int { bytes.count }

    deinit {
        if ownsAllocation, let base = bytes.baseAddress {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        } else if isMapped, let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
