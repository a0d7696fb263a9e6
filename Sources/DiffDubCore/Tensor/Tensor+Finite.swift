extension Tensor {
    /// The flat (row-major) index of the first NaN or infinite element, or `nil` when every
    /// element is finite. Reads the elements once, eight at a time.
    public func firstNonFiniteIndex() -> Int? {
        withUnsafeBufferPointer { values in
            let n = values.count
            guard let base = values.baseAddress else { return nil }
            var i = 0
            // x - x is 0 for a finite x and NaN for NaN and +-inf: one comparison per lane.
            while i + 8 <= n {
                let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float>.self)
                if any((v - v) .!= SIMD8(repeating: 0)) { break }
                i += 8
            }
            while i < n {
                if !base[i].isFinite { return i }
                i += 1
            }
            return nil
        }
    }

    /// The index along every axis of flat element `flat` (row-major).
    public func multiIndex(ofFlatIndex flat: Int) -> [Int] {
        var rest = flat
        var index = Array(repeating: 0, count: rank)
        for axis in stride(from: rank - 1, through: 0, by: -1) where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }
}
