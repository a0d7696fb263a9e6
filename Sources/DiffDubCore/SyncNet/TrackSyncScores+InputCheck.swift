extension TrackSyncScores {
    /// The A-V offset, in frames either way, from which a clip counts as out of sync: 2 frames
    /// (80 ms at 25 fps) is where viewers start to see it.
    package static let visibleOffset = 2

    /// The first of `tracks` (in shot order) that a dub with `options` changes and whose lips
    /// are ``visibleOffset`` frames or more out of sync with the audio they were scored
    /// against; `nil` when there is none.
    ///
    /// The tracks a dub changes, per shot: with ``FaceTrackingOptions/speakers``, those whose
    /// face a span names in one of their frames; otherwise the track numbered
    /// ``FaceChoice/index(_:)``, or for ``FaceChoice/largest`` the track whose first box is the
    /// widest.
    package static func firstOutOfSync(_ tracks: [TrackSyncScores], dubbing options: FaceTrackingOptions) -> TrackSyncScores? {
        for shot in Set(tracks.map(\.track.shot)).sorted() {
            let inShot = tracks.filter { $0.track.shot == shot }
            let dubbed: [TrackSyncScores]
            if let spans = options.speakers {
                dubbed = inShot.filter { item in
                    item.track.frames.contains { SpeakerSpan.face(at: $0, in: spans) == item.track.face }
                }
            } else {
                switch options.choice {
                case .largest: dubbed = inShot.max { $0.track.boxes[0].width < $1.track.boxes[0].width }.map { [$0] } ?? []
                case .index(let k): dubbed = inShot.filter { $0.track.face == k }
                }
            }
            if let found = dubbed.first(where: { abs($0.scores.offset) >= visibleOffset }) { return found }
        }
        return nil
    }
}
