// Internal plumbing shared by the kernels: raw element access, fresh outputs, axis handling.

extension Tensor {
    /// The first element, read-only. Valid while `self` is alive and unmodified.
    var readPointer: UnsafePointer<Float> { UnsafePointer(storage.baseAddress) }
}

/// A new zero-filled tensor of `shape` and a pointer to write its elements.
///
/// The storage is freshly allocated, so it is uniquely owned and writable: writing through
/// the pointer cannot affect any other tensor. The pointer is valid while the tensor lives.
func makeOutput(_ shape: [Int]) -> (Tensor, UnsafeMutablePointer<Float>) {
    let tensor = Tensor(zeros: shape)
    return (tensor, tensor.storage.baseAddress)
}

/// A new tensor of `shape` whose elements are left uninitialised, and a pointer to write them.
///
/// For kernels that write every element before returning (no zero-fill pass over memory that
/// is overwritten anyway). Otherwise as ``makeOutput(_:)``.
func makeUninitializedOutput(_ shape: [Int]) -> (Tensor, UnsafeMutablePointer<Float>) {
    let storage = TensorStorage(uninitializedCount: Tensor.elementCount(of: shape))
    return (Tensor(shape: shape, storage: storage), storage.baseAddress)
}

/// `axis` with negative values counted from the end, checked against `rank`.
func resolvedAxis(_ axis: Int, rank: Int, _ operation: String) -> Int {
    let resolved = axis < 0 ? axis + rank : axis
    precondition(resolved >= 0 && resolved < rank, "\(operation): axis \(axis) out of range for rank \(rank)")
    return resolved
}

/// The product of `extents` (1 when empty).
func product<S: Sequence>(_ extents: S) -> Int where S.Element == Int {
    extents.reduce(1, *)
}

/// Elements per parallel chunk for cheap element-wise work: below this, threads cost more
/// than they save.
let elementwiseChunk = 1 << 15

/// Copies `count` rows of `plane` (`height x width`), starting at row `firstRow` (may be
/// negative or past the end), into lines of `lineWidth` elements at `lines`, each line being the
/// row shifted right by `padding` with zeros where it falls outside the image: the padded input
/// rows of a convolution tile row.
@inline(__always)
func loadPaddedRows(
    _ plane: UnsafePointer<Float>, height: Int, width: Int, padding: Int, firstRow: Int, count: Int,
    into lines: UnsafeMutablePointer<Float>, lineWidth: Int
) {
    // Line positions that hold image columns.
    let first = min(lineWidth, padding)
    let last = min(lineWidth, width + padding)
    for i in 0..<count {
        let line = lines + i * lineWidth
        let y = firstRow + i
        guard y >= 0 && y < height, last > first else {
            line.update(repeating: 0, count: lineWidth)
            continue
        }
        if first > 0 { line.update(repeating: 0, count: first) }
        (line + first).update(from: plane + y * width + first - padding, count: last - first)
        if last < lineWidth { (line + last).update(repeating: 0, count: lineWidth - last) }
    }
}
