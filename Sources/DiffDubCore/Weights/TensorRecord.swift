/// One named tensor of a checkpoint, described before it is read.
///
/// Readers (torch checkpoints, safetensors) produce records whose data is loaded on demand,
/// so selecting `ema_model.*` out of a file that also holds `model.*` never touches the
/// other copy. ``load()`` converts any stored type to `Float`.
public struct TensorRecord: Sendable {
    /// How the file stores the elements.
    public let scalarType: ScalarType
    /// The tensor's shape.
    public let shape: [Int]
    private let loader: @Sendable () throws -> Tensor

    /// A record whose data `loader` produces (as `Float`, in `shape`).
    public init(scalarType: ScalarType, shape: [Int], loader: @escaping @Sendable () throws -> Tensor) {
        self.scalarType = scalarType
        self.shape = shape
        self.loader = loader
    }

    /// A record for a tensor already in memory.
    public init(_ tensor: Tensor, scalarType: ScalarType = .float32) {
        self.scalarType = scalarType
        self.shape = tensor.shape
        self.loader = { tensor }
    }

    /// Number of elements.
    public var elementCount: Int { Tensor.elementCount(of: shape) }

    /// Reads (or maps) the data as `Float`.
    public func load() throws -> Tensor { try loader() }
}
