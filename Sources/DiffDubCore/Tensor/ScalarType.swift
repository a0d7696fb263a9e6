/// The element type of a tensor as stored in a file (checkpoint, safetensors, `.npy`).
///
/// In memory every model tensor is `Float`; the stored type says how the file encodes it
/// and is kept so tools like `diffdub inspect` can report it.
package enum ScalarType: String, Sendable, CaseIterable, Codable {
    case float32, float16, bfloat16, float64
    case int64, int32, int16, int8, uint8, bool

    /// Bytes per element.
    package var byteSize: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16, .int16: 2
        case .int8, .uint8, .bool: 1
        }
    }

    /// Whether the type holds floating-point values.
    package var isFloatingPoint: Bool {
        switch self {
        case .float32, .float16, .bfloat16, .float64: true
        default: false
        }
    }
}
