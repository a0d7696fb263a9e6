import DiffDubCore
import Foundation
import Testing

/// ``SyncScores`` (`SyncNetInstance.evaluate`'s arithmetic) on embeddings whose answer is known.
@Suite struct SyncScoresTests {
    /// Random unit-scale embeddings, one row per window.
    static func embeddings(_ windows: Int, width: Int, seed: UInt64) -> [[Float]] {
        var generator = SplitMix64(seed: seed)
        return (0..<windows).map { _ in (0..<width).map { _ in Float.random(in: -1...1, using: &generator) } }
    }

    static func tensor(_ rows: [[Float]]) -> Tensor {
        Tensor(shape: [rows.count, rows[0].count], scalars: rows.flatMap { $0 })
    }

    @Test func audioShiftedByTwoWindowsGivesOffsetMinusTwo() {
        let windows = 40
        let lips = Self.embeddings(windows, width: 16, seed: 1)
        // Audio window j matches lip window j - 2: the best shift pairs lip i with audio i + 2.
        let noise = Self.embeddings(windows, width: 16, seed: 2)
        let audio = (0..<windows).map { j in j >= 2 ? lips[j - 2] : noise[j] }
        let scores = SyncScores(lipEmbeddings: Self.tensor(lips), audioEmbeddings: Self.tensor(audio), vshift: 15)
        #expect(scores.windows == windows)
        #expect(scores.offset == 15 - 17)
        #expect(scores.distances.count == windows && scores.distances.allSatisfy { $0.count == 31 })
        // Lip i against audio i + 2 is the same vector: only torch's eps remains, |1e-6 * ones|.
        #expect(abs(scores.distances[0][17] - 4e-6) < 1e-7)
        #expect(scores.confidence > 1)
        #expect(scores.framewiseConfidence.count == windows)
    }

    @Test func distancesToThePaddingAreTheNormsOfTheLipEmbeddings() {
        let lips = Self.embeddings(3, width: 8, seed: 5)
        let audio = Self.embeddings(3, width: 8, seed: 6)
        let scores = SyncScores(lipEmbeddings: Self.tensor(lips), audioEmbeddings: Self.tensor(audio), vshift: 4)
        for i in 0..<3 {
            for k in 0..<9 where !(0..<3).contains(i + k - 4) {
                let norm = lips[i].reduce(0.0) { $0 + (Double($1) + 1e-6) * (Double($1) + 1e-6) }.squareRoot()
                #expect(abs(Double(scores.distances[i][k]) - norm) < 1e-5)
            }
        }
        let means = (0..<9).map { k in scores.distances.reduce(0.0) { $0 + Double($1[k]) } / 3 }
        let best = means.indices.min { means[$0] < means[$1] }!
        #expect(scores.offset == 4 - best)
        #expect(abs(Double(scores.minDistance) - means[best]) < 1e-5)
        #expect(abs(Double(scores.confidence) - (means.sorted()[4] - means[best])) < 1e-5)
    }

    @Test func medianFilterPadsWithZerosAsScipy() {
        // scipy.signal.medfilt([5, -1, 3, 8, 2, 7, -4], 3) and with kernel 9.
        let values: [Float] = [5, -1, 3, 8, 2, 7, -4]
        #expect(SyncScores.medianFiltered(values, kernel: 3) == [0, 3, 3, 3, 7, 2, 0])
        #expect(SyncScores.medianFiltered(values, kernel: 9) == [0, 2, 2, 2, 2, 0, 0])
        #expect(SyncScores.medianFiltered([], kernel: 9) == [])
    }
}
