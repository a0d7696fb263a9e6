/// A detected face: corners in image pixels and the detector's score.
public struct FaceBox: Sendable, Equatable, CustomStringConvertible {
    /// Left edge.
    public var x1: Float
    /// Top edge.
    public var y1: Float
    /// Right edge.
    public var x2: Float
    /// Bottom edge.
    public var y2: Float
    /// Face probability (softmax), in (0.6, 1] for kept detections.
    public var score: Float

    /// A box from its corners and score.
    package init(x1: Float, y1: Float, x2: Float, y2: Float, score: Float) {
        self.x1 = x1
        self.y1 = y1
        self.x2 = x2
        self.y2 = y2
        self.score = score
    }

    /// `x2 - x1`.
    package var width: Float { x2 - x1 }
    /// `y2 - y1`.
    package var height: Float { y2 - y1 }
    /// The centre `((x1 + x2) / 2, (y1 + y2) / 2)`.
    package var center: SIMD2<Float> { SIMD2((x1 + x2) / 2, (y1 + y2) / 2) }

    /// `x1,y1,x2,y2 (score)`.
    public var description: String { "\(x1),\(y1),\(x2),\(y2) (\(score))" }
}
