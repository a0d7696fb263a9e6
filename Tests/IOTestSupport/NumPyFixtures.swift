import DiffDubIO
import Foundation
import TestSupport

extension Fixtures {
    /// A `.npy` fixture as DiffDubIO's `NumPyFile` reads it.
    package static func array(_ relativePath: String) throws -> NumPyArray {
        try NumPyFile.read(url(relativePath))
    }
}
