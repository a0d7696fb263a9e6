/// espnet's `PositionwiseFeedForward` with a swish activation: `w_2(swish(w_1(x)))` over the
/// last axis (dropout is the identity at inference). Keys `w_1`, `w_2`.
package struct PositionwiseFeedForward: Sendable {
    /// `w_1`: `[units, d]`.
    package let w1: Linear
    /// `w_2`: `[d, units]`.
    package let w2: Linear

    /// Binds `w_1` and `w_2` under `weights`, checking them against `width` and `units`.
    package init(_ weights: WeightBinder, width: Int, units: Int) throws {
        w1 = try Linear(weights.scoped("w_1"), in: width, out: units)
        w2 = try Linear(weights.scoped("w_2"), in: units, out: width)
    }

    /// `[..., d]` -> `[..., d]`.
    package func callAsFunction(_ x: Tensor) -> Tensor {
        w2(silu(w1(x)))
    }
}
