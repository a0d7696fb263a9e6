import DiffDubCore
import Testing

@Suite struct NonFiniteScanTests {
    @Test func findsTheFirstNaNOrInfinityAtEveryPositionOfBlockAndTail() {
        for count in [0, 1, 7, 31, 32, 33, 64, 100] {
            #expect(NonFiniteScan.firstIndex(in: [Float](repeating: 1, count: count)) == nil, "\(count) finite")
            for position in 0..<count {
                for bad in [Float.nan, .infinity, -.infinity, Float(bitPattern: 0x7FC0_0001)] {
                    var values = (0..<count).map { Float($0) - 50 }
                    values[position] = bad
                    if position + 3 < count { values[position + 3] = .nan }  // a later one is not reported
                    #expect(NonFiniteScan.firstIndex(in: values) == position, "\(bad) at \(position) of \(count)")
                }
            }
        }
    }

    @Test func extremeFiniteValuesAreFinite() {
        let values: [Float] = [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -0.0, 0]
        #expect(NonFiniteScan.firstIndex(in: values + values + values + values + values + values + values) == nil)
    }

    @Test func tensorReportsTheIndexOnEachAxis() {
        var t = Tensor(zeros: [2, 3, 40])
        #expect(t.firstNonFinite() == nil)
        t.withUnsafeMutableBufferPointer { $0[1 * 120 + 2 * 40 + 17] = -.infinity }
        let bad = t.firstNonFinite()
        #expect(bad?.index == [1, 2, 17])
        #expect(bad?.offset == 217)
        #expect(bad?.value == -.infinity)
        #expect(bad?.description == "element [1, 2, 17] is -inf")
        #expect(Tensor(shape: [], scalars: [.nan]).firstNonFinite()?.index == [])
    }
}
