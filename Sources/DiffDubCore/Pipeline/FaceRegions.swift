/// The square face region dubbed in each frame of a clip.
package enum FaceRegions: Sendable, Hashable, Codable {
    /// The whole frame, which must be square (a pre-cropped clip).
    case whole
    /// The same square in every frame (`--crop X,Y,SIZE`, or the original's one crop per clip).
    case fixed(FaceRegion)
    /// Entry `i` for frame `i` (a face track); `nil` where the frame has no face, which is
    /// then kept unchanged. Frames past the end have no region.
    case perFrame([FaceRegion?])

    /// ``fixed(_:)`` for a region, ``whole`` for `nil` (``DubbingOptions/faceRegion``'s
    /// meaning).
    package init(_ region: FaceRegion?) {
        self = region.map { .fixed($0) } ?? .whole
    }

    /// The region of frame `index` in a `height x width` frame: the whole frame for ``whole``
    /// (`nil` unless square), the fixed square, or the frame's own; `nil` when there is none.
    package func region(forFrame index: Int, height: Int, width: Int) -> FaceRegion? {
        switch self {
        case .whole: height == width && height > 0 ? FaceRegion(x: 0, y: 0, size: height) : nil
        case .fixed(let region): region
        case .perFrame(let all): index >= 0 && index < all.count ? all[index] : nil
        }
    }

    /// Whether frame `index` has no region of its own in a ``perFrame(_:)`` list (no face).
    package func hasNoRegion(atFrame index: Int) -> Bool {
        if case .perFrame(let all) = self { return index < 0 || index >= all.count || all[index] == nil }
        return false
    }
}
