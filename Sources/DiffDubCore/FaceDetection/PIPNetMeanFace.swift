// Port of torchlm/models/pipnet/_utils.py (`_get_meanface`), torchlm 0.1.6.10 (MIT).

/// The neighbour structure PIPNet derives from a mean face.
///
/// Each landmark `i` predicts the positions of its `neighbors` nearest mean-face points
/// (squared distance, itself excluded): `neighbors[i][k]`. Reversed, landmark `m` is predicted
/// by the pairs `(i, k)` with `neighbors[i][k] == m`, in increasing `i` then `k`; torchlm pads
/// every such list to the longest (`maxLength`) by repeating it from the start, so each
/// landmark averages its own prediction with exactly `maxLength` neighbour predictions.
package struct PIPNetMeanFace: Sendable {
    /// Number of landmarks.
    package let count: Int
    /// Neighbours predicted per landmark.
    package let neighborCount: Int
    /// `neighbors[i]`: the nearest other landmarks of landmark `i`, nearest first.
    package let neighbors: [[Int]]
    /// `predictors[m]`: `maxLength` pairs `(landmark, neighbour slot)` whose predictions
    /// average into landmark `m`.
    package let predictors: [[(landmark: Int, slot: Int)]]
    /// The padded length of every ``predictors`` list.
    package let maxLength: Int

    /// The structure of `points` with `neighborCount` neighbours each.
    ///
    /// - Precondition: every landmark is somebody's neighbour (true of torchlm's mean faces).
    package init(points: [SIMD2<Double>], neighborCount: Int = 10) {
        count = points.count
        self.neighborCount = neighborCount
        neighbors = points.map { p in
            let distances = points.map { q -> Double in
                let d = p - q
                return d.x * d.x + d.y * d.y
            }
            let order = distances.indices.sorted { distances[$0] != distances[$1] ? distances[$0] < distances[$1] : $0 < $1 }
            return Array(order.dropFirst().prefix(neighborCount))
        }
        var reversed = [[(landmark: Int, slot: Int)]](repeating: [], count: points.count)
        for (i, list) in neighbors.enumerated() {
            for (k, m) in list.enumerated() { reversed[m].append((i, k)) }
        }
        let longest = reversed.map(\.count).max() ?? 0
        maxLength = longest
        predictors = reversed.map { list in
            precondition(!list.isEmpty, "PIPNetMeanFace: a landmark is nobody's neighbour")
            return (0..<longest).map { list[$0 % list.count] }
        }
    }

    /// The 300W structure (68 landmarks, 10 neighbours).
    package static let face300W = PIPNetMeanFace(points: points300W, neighborCount: 10)
}
