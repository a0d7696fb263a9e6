/// Copies the elements of a strided array into row-major (C) order: element
/// `(i0, i1, ...)` is read from `base + (i0 * strides[0] + i1 * strides[1] + ...) * elementSize`.
/// Strides are in elements; `count` is the product of `shape`. Used for torch tensors stored
/// with strides and for Fortran-ordered `.npy` arrays.
func gatherRowMajor(
    from base: UnsafeRawPointer, count: Int, elementSize: Int, shape: [Int], strides: [Int]
) -> [UInt8] {
    var gathered = [UInt8](repeating: 0, count: count * elementSize)
    gathered.withUnsafeMutableBytes { destination in
        guard let target = destination.baseAddress else { return }
        var index = [Int](repeating: 0, count: shape.count)
        var source = 0
        for element in 0..<count {
            (target + element * elementSize).copyMemory(from: base + source * elementSize, byteCount: elementSize)
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                source += strides[axis]
                if index[axis] < shape[axis] { break }
                source -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
    return gathered
}
