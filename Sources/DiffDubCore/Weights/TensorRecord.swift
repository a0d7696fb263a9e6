/// One named tensor of a checkpoint, described before it is read.
///
/// Readers (torch checkpoints, safetensors) produce records whose data is loaded on demand,
/// so selecting `ema_model.*` out of a file that also holds `model.*` never touches the
/// other copy. ``load()`` converts any stored type to `Float`; ``loadStoredBytes()`` gives the
/// elements as the file encodes them (for writing them elsewhere unchanged).
package struct TensorRecord: Sendable {
    /// How the file stores the elements.
    package let scalarType: ScalarType
    /// The tensor's shape.
    package let shape: [Int]
    private let loader: @Sendable () throws -> Tensor
    private let bytesLoader: (@Sendable () throws -> [UInt8])?

    /// A record whose data `loader` produces (as `Float`, in `shape`) and, when given,
    /// `storedBytes` produces as stored: row-major, little-endian elements of `scalarType`.
    package init(
        scalarType: ScalarType, shape: [Int], loader: @escaping @Sendable () throws -> Tensor,
        storedBytes: (@Sendable () throws -> [UInt8])? = nil
    ) {
        self.scalarType = scalarType
        self.shape = shape
        self.loader = loader
        self.bytesLoader = storedBytes
    }

    /// A record for a tensor already in memory, stored as `scalarType` (the values are
    /// written in that type; see ``loadStoredBytes()``).
    package init(_ tensor: Tensor, scalarType: ScalarType = .float32) {
        self.scalarType = scalarType
        self.shape = tensor.shape
        self.loader = { tensor }
        self.bytesLoader = nil
    }

    /// Number of elements.
    package var elementCount: Int { Tensor.elementCount(of: shape) }

    /// Reads (or maps) the data as `Float`.
    package func load() throws -> Tensor { try loader() }

    /// The elements as stored: `elementCount * scalarType.byteSize` bytes, row-major,
    /// little-endian. Records read from a file give the file's bytes unchanged; records of
    /// tensors in memory encode their `Float` values in ``scalarType`` (rounding to nearest
    /// for float16 and bfloat16, truncating toward zero for integer types).
    package func loadStoredBytes() throws -> [UInt8] {
        if let bytesLoader { return try bytesLoader() }
        return ScalarEncoding.encode(try loader(), as: scalarType)
    }
}
