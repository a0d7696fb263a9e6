extension WeightBinder {
    /// Checks that `name` exists with shape `expected` before a layer binds it, so a size that
    /// disagrees with the inferred configuration is reported as a shape mismatch of that key.
    func checkShape(of name: String, _ expected: [Int]) throws {
        let found = try requireShape(of: name)
        guard found == expected else {
            throw WeightError.shapeMismatch(
                key: key(name), expected: expected, found: found, source: stateDict.source)
        }
    }
}
