import DiffDubCore
import Foundation

/// Locations of the test fixtures (copied from the original's outputs into `Tests/Fixtures`).
package enum Fixtures {
    /// `Tests/Fixtures`.
    package static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// A file below `Tests/Fixtures`, e.g. `url("stage2/out.npy")`.
    package static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// A `.npy` fixture as a float tensor (in C order, also when NumPy stored it in Fortran
    /// order, as `stage2/downsampled.npy`), read by the tests' own ``FixtureArray``.
    package static func tensor(_ relativePath: String) throws -> Tensor {
        try fixtureArray(relativePath).tensor()
    }

    /// A `.npy` fixture as read by the tests' own reader (no DiffDubIO).
    package static func fixtureArray(_ relativePath: String) throws -> FixtureArray {
        try FixtureArray(contentsOf: url(relativePath))
    }

    /// A JSON fixture (manifest, probe) as a dictionary.
    package static func json(_ relativePath: String) throws -> [String: Any] {
        let data = try Data(contentsOf: url(relativePath))
        return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}

/// Largest absolute element-wise difference; `.infinity` if the shapes differ or a value is
/// not finite.
package func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Float {
    guard a.shape == b.shape else { return .infinity }
    return a.withUnsafeBufferPointer { x in
        b.withUnsafeBufferPointer { y in
            var worst: Float = 0
            for i in 0..<x.count {
                let d = abs(x[i] - y[i])
                if !d.isFinite { return .infinity }
                worst = max(worst, d)
            }
            return worst
        }
    }
}

/// The deterministic generator of test data.
package typealias SeededGenerator = SplitMix64

extension Tensor {
    /// A tensor of uniform random values in `range`, reproducible from `generator`.
    package static func random<G: RandomNumberGenerator>(
        _ shape: [Int], in range: ClosedRange<Float> = -1...1, using generator: inout G
    ) -> Tensor {
        let n = Tensor.elementCount(of: shape)
        return Tensor(shape: shape, scalars: (0..<n).map { _ in Float.random(in: range, using: &generator) })
    }
}
