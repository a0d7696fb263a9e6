@testable import DiffDubCore
import TestSupport
import Testing

/// `conv2d(..., adding: residual)`, the convolution that closes a residual block, against the
/// convolution followed by the sum, on every path (Winograd in bands or fused tiles, im2col).
@Suite struct ConvolutionResidualTests {
    @Test(
        arguments: [Conv2dAlgorithm.im2col, .winograd, .winograd4x4, .winograd6x6],
        [Conv2dTiling.WinogradSchedule.bands, .tiles])
    func residualIsAddedOnEveryPath(_ algorithm: Conv2dAlgorithm, _ schedule: Conv2dTiling.WinogradSchedule) {
        let x = randomTensor([2, 12, 23, 31], seed: 100)
        let w = randomTensor([10, 12, 3, 3], seed: 101)
        let b = randomTensor([10], seed: 102)
        let residual = randomTensor([2, 10, 23, 31], seed: 103)
        let kernels = KernelSettings(winogradSchedule: schedule)
        let (fused, separate) = (
            conv2d(x, weight: w, bias: b, padding: 1, algorithm: algorithm, residual: residual, kernels: kernels),
            conv2d(x, weight: w, bias: b, padding: 1, algorithm: algorithm, kernels: kernels) + residual
        )
        // The same additions, one per output, in the same order.
        #expect(fused.scalars == separate.scalars)
        #expect(maxAbsDifference(separate, conv2d(x, weight: w, bias: b, padding: 1, algorithm: .im2col) + residual) < 1e-3)
    }

    @Test func layerAddsTheResidualOfItsBlock() {
        let x = randomTensor([1, 40, 34, 34], seed: 110)
        let layer = Conv2d(weight: randomTensor([40, 40, 3, 3], seed: 111), bias: randomTensor([40], seed: 112))
        let residual = randomTensor([1, 40, 34, 34], seed: 113)
        #expect(layer(x, adding: residual).scalars == (layer(x) + residual).scalars)
    }
}
