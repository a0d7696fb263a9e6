/// Which face of a frame with several faces is dubbed.
public enum FaceChoice: Sendable, Hashable, Codable {
    /// The widest box, as the original's preprocessing (`extract_cropped_faces.py`) picks it.
    case largest
    /// Face `K` (0-based) counted from the left (by box centre).
    case index(Int)

    /// The chosen box among `boxes`, or `nil` when there is none (or too few for `.index`).
    package func pick(_ boxes: [FaceBox]) -> FaceBox? {
        switch self {
        case .largest:
            return boxes.enumerated().max { a, b in
                a.element.width != b.element.width ? a.element.width < b.element.width : a.offset > b.offset
            }?.element
        case .index(let k):
            let ordered = boxes.sorted { $0.center.x < $1.center.x }
            return k >= 0 && k < ordered.count ? ordered[k] : nil
        }
    }

    /// Throws when this is face `K` and no frame of `boxes` (the detections of a clip's frames)
    /// has a face `K`, while some frame has a face: the clip has fewer faces than the index
    /// asks for (a clip without any face is left to the caller's "no face" report).
    ///
    /// - Throws: ``FaceTrackingError/faceIndexOutOfRange(input:index:mostFaces:)``.
    package func checkReachable(in boxes: [[FaceBox]], input: String) throws {
        guard case .index(let k) = self else { return }
        let most = boxes.map(\.count).max() ?? 0
        guard most > 0, k >= most else { return }
        throw FaceTrackingError.faceIndexOutOfRange(input: input, index: k, mostFaces: most)
    }
}
