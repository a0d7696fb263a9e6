import DiffDubCore
import TestSupport
import Testing

/// ``Conv3dAlgorithm/temporalWinograd`` and ``Conv3dAlgorithm/planarWinograd`` against the
/// im2col path (itself checked against direct loops in `Conv3dTests`): depths that are and are
/// not multiples of the group, strides and paddings in the plane, planes that tiles overhang,
/// pixel-scale inputs as SyncNet's first layer sees them, one to three threads; and the
/// transform's own identities.
@Suite struct Conv3dTemporalWinogradTests {
    struct Case: CustomStringConvertible {
        let input: [Int]
        let outChannels: Int
        let kernel: Extent3
        let stride: Extent3
        let padding: Extent3
        var description: String { "\(input) k\(kernel) s\(stride) p\(padding)" }
    }

    static let cases: [Case] = [
        // SyncNet's first layer on a small plane: 8 output slices, two whole groups.
        Case(input: [1, 3, 12, 23, 21], outChannels: 7, kernel: Extent3(5, 7, 7), stride: Extent3(1, 2, 2), padding: Extent3(all: 0)),
        // 6 output slices: a group of 4 and one of 2 (input slices past the end read as zero).
        Case(input: [2, 4, 10, 9, 11], outChannels: 5, kernel: Extent3(5, 3, 4), stride: Extent3(1, 1, 2), padding: Extent3(0, 1, 1)),
        Case(input: [1, 2, 9, 6, 7], outChannels: 3, kernel: Extent3(3, 3, 3), stride: Extent3(all: 1), padding: Extent3(0, 1, 1)),
        Case(input: [1, 3, 5, 4, 4], outChannels: 2, kernel: Extent3(2, 1, 1), stride: Extent3(all: 1), padding: Extent3(all: 0)),
    ]

    @Test(arguments: cases)
    func matchesIm2col(_ shape: Case) {
        for (index, range) in [Float(-1)...1, 0...255].enumerated() {
            let x = randomTensor(shape.input, seed: 31 + UInt64(index), in: range)
            let weight = randomTensor(
                [shape.outChannels, shape.input[1], shape.kernel.depth, shape.kernel.height, shape.kernel.width],
                seed: 32, in: -0.1...0.1)
            let bias = randomTensor([shape.outChannels], seed: 33)
            let expected = conv3d(
                x, weight: weight, bias: bias, stride: shape.stride, padding: shape.padding, algorithm: .im2col)
            for threads in [1, 2, 3] {
                let actual = ComputeSettings(threads: threads).run {
                    conv3d(
                        x, weight: weight, bias: bias, stride: shape.stride, padding: shape.padding,
                        algorithm: .temporalWinograd)
                }
                expectClose(actual, expected, tolerance: 2e-6)
            }
        }
    }

    static let planarCases: [Case] = [
        // SyncNet's 13 x 13 lip layers (odd sides: the last tiles overhang) and its audio planes.
        Case(input: [1, 32, 3, 13, 13], outChannels: 9, kernel: Extent3(1, 3, 3), stride: Extent3(all: 1), padding: Extent3(0, 1, 1)),
        Case(input: [2, 33, 2, 11, 9], outChannels: 5, kernel: Extent3(1, 3, 3), stride: Extent3(all: 1), padding: Extent3(0, 1, 1)),
        Case(input: [1, 3, 5, 8, 7], outChannels: 4, kernel: Extent3(1, 3, 3), stride: Extent3(all: 1), padding: Extent3(all: 0)),
        Case(input: [1, 2, 1, 1, 1], outChannels: 3, kernel: Extent3(1, 3, 3), stride: Extent3(all: 1), padding: Extent3(0, 1, 1)),
    ]

    @Test(arguments: planarCases)
    func planarMatchesIm2col(_ shape: Case) {
        let x = randomTensor(shape.input, seed: 41, in: 0...4)
        let weight = randomTensor(
            [shape.outChannels, shape.input[1], shape.kernel.depth, shape.kernel.height, shape.kernel.width],
            seed: 42, in: -0.2...0.2)
        let bias = randomTensor([shape.outChannels], seed: 43)
        let expected = conv3d(x, weight: weight, bias: bias, stride: shape.stride, padding: shape.padding, algorithm: .im2col)
        for threads in [1, 2, 3] {
            let actual = ComputeSettings(threads: threads).run {
                conv3d(x, weight: weight, bias: bias, stride: shape.stride, padding: shape.padding, algorithm: .planarWinograd)
            }
            expectClose(actual, expected, tolerance: 2e-6)
        }
    }

    @Test func automaticTakesItOnlyWhereItApplies() {
        #expect(Conv3dAlgorithm.prefersPlanarWinograd(channels: 256, kernel: Extent3(1, 3, 3), stride: Extent3(all: 1), padding: Extent3(0, 1, 1)))
        #expect(!Conv3dAlgorithm.prefersPlanarWinograd(channels: 1, kernel: Extent3(1, 3, 3), stride: Extent3(all: 1), padding: Extent3(0, 1, 1)))
        #expect(!Conv3dAlgorithm.prefersPlanarWinograd(channels: 256, kernel: Extent3(1, 5, 5), stride: Extent3(all: 1), padding: Extent3(0, 1, 1)))
        #expect(!Conv3dAlgorithm.prefersPlanarWinograd(channels: 256, kernel: Extent3(1, 3, 3), stride: Extent3(1, 2, 2), padding: Extent3(0, 1, 1)))
        let applies = Conv3dAlgorithm.prefersTemporalWinograd(
            kernel: Extent3(5, 7, 7), stride: Extent3(1, 2, 2), padding: Extent3(all: 0), outDepth: 16)
        #expect(applies)
        #expect(!Conv3dAlgorithm.prefersTemporalWinograd(kernel: Extent3(1, 3, 3), stride: Extent3(all: 1), padding: Extent3(all: 0), outDepth: 16))
        #expect(!Conv3dAlgorithm.prefersTemporalWinograd(kernel: Extent3(5, 3, 3), stride: Extent3(2, 1, 1), padding: Extent3(all: 0), outDepth: 16))
        #expect(!Conv3dAlgorithm.prefersTemporalWinograd(kernel: Extent3(5, 3, 3), stride: Extent3(all: 1), padding: Extent3(1, 0, 0), outDepth: 16))
        #expect(!Conv3dAlgorithm.prefersTemporalWinograd(kernel: Extent3(5, 3, 3), stride: Extent3(all: 1), padding: Extent3(all: 0), outDepth: 3))
    }

    /// `A^T [(G g) * (B^T d)]` is the correlation, in double precision, for every group size the
    /// points allow with 5 taps.
    @Test func transformComputesTheCorrelation() {
        for outputs in 1...6 {
            let transform = TemporalWinogradTransform(outputs: outputs, taps: 5)
            let n = transform.inputs
            let g = (0..<5).map { Double($0) * 0.37 - 0.8 }
            let d = (0..<n).map { Double(($0 * 7) % 11) - 4.5 }
            let weighted = (0..<n).map { i in (0..<5).reduce(0.0) { $0 + transform.weightMatrix[i * 5 + $1] * g[$1] } }
            let input = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + transform.inputMatrix[i * n + $1] * d[$1] } }
            for k in 0..<outputs {
                let winograd = (0..<n).reduce(0.0) { $0 + transform.outputMatrix[k * n + $1] * weighted[$1] * input[$1] }
                let direct = (0..<5).reduce(0.0) { $0 + g[$1] * d[k + $1] }
                #expect(abs(winograd - direct) < 1e-9, "F(\(outputs), 5) output \(k)")
            }
        }
    }
}
