/// Which face of a frame with several faces is dubbed.
public enum FaceChoice: Sendable, Hashable, Codable {
    /// The widest box, as the original's preprocessing (`extract_cropped_faces.py`) picks it.
    case largest
    /// Face `K` (0-based) counted from the left (by box centre).
    case index(Int)

    /// The chosen box among `boxes`, or `nil` when there is none (or too few for `.index`).
    public func pick(_ boxes: [FaceBox]) -> FaceBox? {
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
}
