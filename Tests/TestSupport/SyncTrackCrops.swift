import DiffDubCore

extension SyncFaceCrop {
    /// The 224 x 224 crops of every frame of `track` in `source`, all in memory: what the
    /// tests sum, write out or score through the array path (the library never collects them:
    /// ``SyncTrackScorer`` crops and scores frame by frame).
    package static func images(of track: FaceBoxTrack, in source: any FrameSource) throws -> [RGBImage] {
        let crops = SyncFaceCrop.crops(of: track.boxes)
        let reader = try source.makeReader()
        var images: [RGBImage] = []
        var index = 0
        while index < track.frames.upperBound, let frame = try reader.next() {
            if track.frames.contains(index) { images.append(crops[index - track.firstFrame].image(of: frame)) }
            index += 1
        }
        return images
    }
}
