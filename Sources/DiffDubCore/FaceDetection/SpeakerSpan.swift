/// Which face speaks over a run of frames: the dub follows face ``face`` (numbered per shot
/// left to right, as ``FaceBoxTrack/face``) in ``frames`` and leaves every other face, and
/// frames no span covers, unchanged (``FaceTrackingOptions/speakers``).
package struct SpeakerSpan: Sendable, Hashable, Codable {
    /// The frames (at the clip's reading rate) the span covers.
    package var frames: Range<Int>
    /// The face dubbed in them.
    package var face: Int

    /// A span.
    package init(frames: Range<Int>, face: Int) {
        self.frames = frames
        self.face = face
    }

    /// Face `face` through the whole clip.
    package static func always(_ face: Int) -> [SpeakerSpan] { [SpeakerSpan(frames: 0..<Int.max, face: face)] }

    /// The face speaking in frame `index`, if a span covers it (the first such span).
    package static func face(at index: Int, in spans: [SpeakerSpan]) -> Int? {
        spans.first { $0.frames.contains(index) }?.face
    }

    /// Each frame's chosen box from the face tracks of `detections`: in frame `t`, the box of
    /// the track of `t`'s shot numbered as the span covering `t` says (`nil` without one).
    ///
    /// - Throws: ``FaceTrackingError/invalidOption(_:)`` when a span names a face no shot has.
    package static func chosenBoxes(
        _ detections: FaceDetections, spans: [SpeakerSpan], options: FaceTrackingOptions, input: String
    ) throws -> [FaceBox?] {
        let tracks = detections.faceTracks(options: options)
        let faces = (tracks.map(\.face).max() ?? -1) + 1
        if let span = spans.first(where: { $0.face < 0 || $0.face >= faces }) {
            throw FaceTrackingError.invalidOption(
                "\(input): there is no face \(span.face) to dub: the clip has \(faces) face\(faces == 1 ? "" : "s") (numbered from 0, left to right)")
        }
        return (0..<detections.frameCount).map { t in
            guard let face = face(at: t, in: spans) else { return nil }
            return tracks.first { $0.face == face && $0.frames.contains(t) }?.box(forFrame: t)
        }
    }
}
