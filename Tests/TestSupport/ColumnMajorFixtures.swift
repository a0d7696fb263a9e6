import DiffDubCore
import DiffDubIO
import Foundation

extension Fixtures {
    /// A `.npy` fixture as a float tensor, also when NumPy stored it in Fortran (column-major)
    /// order, which `NumPyFile` rejects (`stage2/downsampled.npy` is saved from a transposed
    /// view). A column-major array of shape `S` holds the row-major array of shape `reversed(S)`
    /// with its axes reversed; that is how it is read here.
    public static func tensorInAnyOrder(_ relativePath: String) throws -> Tensor {
        var data = try Data(contentsOf: url(relativePath))
        let marker = Data("'fortran_order': True".utf8)
        guard let range = data.range(of: marker) else {
            return try NumPyFile.decode(data, path: url(relativePath).path).tensor()
        }
        data.replaceSubrange(range, with: Data("'fortran_order':False".utf8))
        let stored = try NumPyFile.decode(data, path: url(relativePath).path).tensor()
        let shape = stored.shape
        return permuted(stored.reshaped(Array(shape.reversed())), Array((0..<shape.count).reversed()))
    }
}
