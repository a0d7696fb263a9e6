import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The memory behind a ``Tensor``: a contiguous run of `Float` values.
///
/// Storage is either *owned* (allocated here by ``HugePageMemory``, freed on deinit) or
/// *borrowed* from another object that keeps the memory alive, such as a memory-mapped
/// checkpoint file. Borrowed storage is read-only: a ``Tensor`` that wants to write into it
/// copies it first (see ``Tensor/withUnsafeMutableBufferPointer(_:)``).
@usableFromInline package final class TensorStorage: @unchecked Sendable {
    /// First element.
    @usableFromInline package let baseAddress: UnsafeMutablePointer<Float>
    /// Number of `Float` elements.
    @usableFromInline package let count: Int
    /// Keeps borrowed memory alive; `nil` for owned storage.
    private let owner: AnyObject?
    /// The buffer pool of the run that allocated owned storage, which takes the block back.
    private let pool: TensorBufferPool?
    /// Values computed from the contents (see ``derived(_:make:)``); guarded by `derivedLock`.
    private var derivedValues: [String: AnyObject] = [:]
    /// Set once a derived value exists: the contents may no longer change.
    private var isFrozen = false

    /// Whether the memory may be written through ``baseAddress``: owned storage that no
    /// derived value depends on.
    package var isWritable: Bool { owner == nil && !derivedLock.withLock { isFrozen } }

    /// Allocates `count` elements, zero-filled, aligned to 64 bytes.
    package convenience init(count: Int) {
        self.init(uninitializedCount: count)
        memset(baseAddress, 0, max(count, 1) * MemoryLayout<Float>.stride)
    }

    /// Allocates `count` elements, aligned to 64 bytes (2 MiB with huge pages from 4 MiB,
    /// ``HugePageMemory``), without initialising them: for kernel outputs that are written in
    /// full before anyone reads them (no zero-fill pass, and no page touched twice).
    package init(uninitializedCount count: Int) {
        precondition(count >= 0, "negative element count")
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        let pool = ComputeContext.current.pool
        let raw = pool?.take(bytes: bytes) ?? HugePageMemory.allocate(byteCount: bytes)
        self.baseAddress = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        self.count = count
        self.owner = nil
        self.pool = pool
    }

    /// Wraps memory owned by `owner` (for example a mapped file) without copying.
    ///
    /// The memory must stay valid and unchanged for as long as `owner` is alive.
    package init(borrowing pointer: UnsafePointer<Float>, count: Int, owner: AnyObject) {
        self.baseAddress = UnsafeMutablePointer(mutating: pointer)
        self.count = count
        self.owner = owner
        self.pool = nil
    }

    deinit {
        guard owner == nil else { return }
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        if pool?.give(UnsafeMutableRawPointer(baseAddress), bytes: bytes) != true {
            HugePageMemory.deallocate(baseAddress)
        }
    }

    /// A value computed from the contents, made by `make` on first request under `key` and
    /// kept for the storage's lifetime (for example a convolution's transformed weights).
    ///
    /// From then on the storage is frozen: ``isWritable`` is false, so a ``Tensor`` that wants
    /// to write copies it first and the kept value stays valid.
    func derived<Value: AnyObject>(_ key: String, make: () -> Value) -> Value {
        derivedLock.withLock {
            if let value = derivedValues[key] as? Value { return value }
            let value = make()
            derivedValues[key] = value
            isFrozen = true
            return value
        }
    }

    /// A writable copy of the first `count` elements.
    func copy() -> TensorStorage {
        let result = TensorStorage(uninitializedCount: count)
        result.baseAddress.update(from: baseAddress, count: count)
        return result
    }
}

/// Guards every storage's derived values; taken rarely (once per layer and call).
private let derivedLock = NSLock()
