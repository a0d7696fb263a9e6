/// Where a tensor holds a NaN or an infinity, and which: what ``Tensor/firstNonFinite()``
/// returns so that a caller can refuse an input naming the first bad element.
package struct NonFiniteElement: Sendable, Equatable, CustomStringConvertible {
    /// Row-major offset of the element.
    package let offset: Int
    /// Its index on each axis, outermost first (empty for a scalar).
    package let index: [Int]
    /// The value: `nan`, `inf` or `-inf`.
    package let value: Float

    /// An element at `offset` of a tensor of `shape`.
    package init(offset: Int, shape: [Int], value: Float) {
        var index = [Int](repeating: 0, count: shape.count)
        var rest = offset
        for axis in shape.indices.reversed() where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        self.offset = offset
        self.index = index
        self.value = value
    }

    /// `element [0, 3, 17] is nan`.
    package var description: String { "element \(index) is \(value)" }
}

extension Tensor {
    /// The first NaN or infinity in row-major order, or nil when every element is finite
    /// (one vectorised pass, ``NonFiniteScan``).
    package func firstNonFinite() -> NonFiniteElement? {
        withUnsafeBufferPointer { buffer in
            NonFiniteScan.firstIndex(in: buffer).map {
                NonFiniteElement(offset: $0, shape: shape, value: buffer[$0])
            }
        }
    }
}
