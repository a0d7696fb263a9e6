#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The memory behind a ``Tensor``: a contiguous run of `Float` values.
///
/// Storage is either *owned* (allocated here, 64-byte aligned, freed on deinit) or
/// *borrowed* from another object that keeps the memory alive, such as a memory-mapped
/// checkpoint file. Borrowed storage is read-only: a ``Tensor`` that wants to write into it
/// copies it first (see ``Tensor/withUnsafeMutableBufferPointer(_:)``).
public final class TensorStorage: @unchecked Sendable {
    /// First element.
    public let baseAddress: UnsafeMutablePointer<Float>
    /// Number of `Float` elements.
    public let count: Int
    /// Keeps borrowed memory alive; `nil` for owned storage.
    private let owner: AnyObject?

    /// Whether the memory may be written through ``baseAddress``.
    public var isWritable: Bool { owner == nil }

    /// Allocates `count` elements, zero-filled, aligned to 64 bytes.
    public init(count: Int) {
        precondition(count >= 0, "negative element count")
        var raw: UnsafeMutableRawPointer?
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        let status = posix_memalign(&raw, 64, bytes)
        guard status == 0, let raw else {
            fatalError("TensorStorage: could not allocate \(bytes) bytes")
        }
        memset(raw, 0, bytes)
        self.baseAddress = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        self.count = count
        self.owner = nil
    }

    /// Wraps memory owned by `owner` (for example a mapped file) without copying.
    ///
    /// The memory must stay valid and unchanged for as long as `owner` is alive.
    public init(borrowing pointer: UnsafePointer<Float>, count: Int, owner: AnyObject) {
        self.baseAddress = UnsafeMutablePointer(mutating: pointer)
        self.count = count
        self.owner = owner
    }

    deinit {
        if owner == nil { free(baseAddress) }
    }

    /// A writable copy of the first `count` elements.
    func copy() -> TensorStorage {
        let result = TensorStorage(count: count)
        result.baseAddress.update(from: baseAddress, count: count)
        return result
    }
}
