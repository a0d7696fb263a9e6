/// The face landmarks of a clip: one set per frame, or one set for every frame (a portrait).
/// Coordinates are in the pixels of the input frames.
public enum LandmarkTrack: Sendable {
    /// Landmarks of frame `i` at index `i`.
    case perFrame([FaceLandmarks])
    /// The same landmarks for every frame.
    case fixed(FaceLandmarks)

    /// The landmarks of frame `index`, or `nil` when the track is too short.
    public func landmarks(forFrame index: Int) -> FaceLandmarks? {
        switch self {
        case .perFrame(let all): index < all.count ? all[index] : nil
        case .fixed(let landmarks): landmarks
        }
    }

    /// Number of frames covered, `nil` for unlimited.
    public var count: Int? {
        switch self {
        case .perFrame(let all): all.count
        case .fixed: nil
        }
    }
}
