/// The face landmarks of a clip: one set per frame, or one set for every frame (a portrait).
/// Coordinates are in the pixels of the input frames.
public enum LandmarkTrack: Sendable {
    /// Landmarks of frame `i` at index `i`.
    case perFrame([FaceLandmarks])
    /// The same landmarks for every frame.
    case fixed(FaceLandmarks)
    /// Landmarks found by face detection: entry `i` for frame `i`, `nil` where no face was
    /// found (that frame is passed through unchanged, and reported).
    case detected([FaceLandmarks?])

    /// The landmarks of frame `index`, or `nil` when the track is too short.
    package func landmarks(forFrame index: Int) -> FaceLandmarks? {
        switch self {
        case .perFrame(let all): index < all.count ? all[index] : nil
        case .fixed(let landmarks): landmarks
        case .detected(let all): index < all.count ? all[index] : nil
        }
    }

    /// Whether frame `index` is covered by the track but has no face (``detected(_:)`` with a
    /// `nil` entry): such frames are not rendered.
    package func hasNoFace(atFrame index: Int) -> Bool {
        if case .detected(let all) = self, index >= 0, index < all.count { return all[index] == nil }
        return false
    }

    /// Number of frames covered, `nil` for unlimited.
    package var count: Int? {
        switch self {
        case .perFrame(let all): all.count
        case .fixed: nil
        case .detected(let all): all.count
        }
    }
}
