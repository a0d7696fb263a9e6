extension OutputTimeline {
    /// The ``PlannedFrame``s of output frames `range` (within `0 ..< frameCount`) from a face
    /// track: each output frame's source frame (``sourceFrame(forOutput:)``), with that frame's
    /// own crop and landmarks. A frame without a face gets no landmarks (it is kept unchanged)
    /// and, for raw output, the track's fixed crop or the frame's largest centred square.
    /// Pair with ``latents(_:forOutputs:)`` for the lip latents of the same frames.
    public func plannedFrames(_ range: Range<Int>, track: FaceTrack) -> [PlannedFrame] {
        let side = min(track.frameHeight, track.frameWidth)
        let centred = FaceRegion(x: (track.frameWidth - side) / 2, y: (track.frameHeight - side) / 2, size: side)
        return range.map { i in
            let j = sourceFrame(forOutput: i)
            let landmarks = track.landmarks(forFrame: j)
            let region = track.region(forFrame: j) ?? track.fixedRegion ?? centred
            return PlannedFrame(source: j, region: region, landmarks: landmarks)
        }
    }

    /// The ``PlannedFrame``s of output frames `range` with one crop for every frame (`nil`: the
    /// whole square frame) and landmarks per source frame.
    public func plannedFrames(_ range: Range<Int>, region: FaceRegion?, landmarks: LandmarkTrack) -> [PlannedFrame] {
        range.map { i in
            let j = sourceFrame(forOutput: i)
            return PlannedFrame(source: j, region: region, landmarks: landmarks.landmarks(forFrame: j))
        }
    }
}
