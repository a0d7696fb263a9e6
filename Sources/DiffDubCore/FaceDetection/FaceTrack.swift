/// What starts a shot of a ``FaceTrack``.
package enum ShotBoundary: String, Sendable, Equatable, Codable {
    /// The first frame of the clip.
    case clipStart
    /// A cut found from the frame difference (``ShotCutDetector``).
    case cut
    /// The chosen face's box jumped (``FaceTrackingOptions/faceJump``): another framing or
    /// another person, so the crop starts over.
    case faceJump
}

/// A run of frames over which the crop follows one face continuously.
package struct Shot: Sendable, Equatable {
    /// The frames of the shot.
    package var frames: Range<Int>
    /// Why the shot starts at `frames.lowerBound`.
    package var boundary: ShotBoundary

    /// A shot over `frames`.
    package init(frames: Range<Int>, boundary: ShotBoundary) {
        self.frames = frames
        self.boundary = boundary
    }
}

/// One frame of a ``FaceTrack``.
package struct TrackedFrame: Sendable, Equatable {
    /// The square crop that is dubbed (the face box expanded, smoothed within the shot), `nil`
    /// when the frame has no face.
    package var region: FaceRegion?
    /// The 68 landmarks in frame pixels, `nil` when the frame has no face.
    package var landmarks: FaceLandmarks?
    /// The detector's box of the chosen face, `nil` when none was detected (also for a frame
    /// bridged from its neighbours).
    package var box: FaceBox?
    /// Index of the frame's shot in ``FaceTrack/shots``.
    package var shot: Int

    /// A tracked frame.
    package init(region: FaceRegion?, landmarks: FaceLandmarks?, box: FaceBox?, shot: Int) {
        self.region = region
        self.landmarks = landmarks
        self.box = box
        self.shot = shot
    }

    /// Whether the frame is dubbed (it has a region and landmarks).
    package var hasFace: Bool { region != nil && landmarks != nil }
}

/// The dubbed face through a clip, frame by frame: a crop region that follows the face within
/// each shot, the landmarks, or "no face" (the frame is kept unchanged). It holds numbers
/// only, never frames. Made by ``FaceTracker``.
package struct FaceTrack: Sendable, Equatable {
    /// Frame `i` at index `i`.
    package var frames: [TrackedFrame]
    /// The shots, in order, covering every frame.
    package var shots: [Shot]
    /// Frame height in pixels.
    package var frameHeight: Int
    /// Frame width in pixels.
    package var frameWidth: Int
    /// Whether the input is a still image: its single frame stands for every frame.
    package var isStill: Bool
    /// The user's fixed crop (``FaceTrackingOptions/region``), if any.
    package var fixedRegion: FaceRegion?
    /// Frames whose face was found but whose mouth mask is empty at the model's resolution
    /// (see ``checkingMasks(imageSize:)``); they count as frames without a face.
    package var framesWithEmptyMask: [Int] = []

    /// A track from its parts.
    package init(
        frames: [TrackedFrame], shots: [Shot], frameHeight: Int, frameWidth: Int, isStill: Bool,
        fixedRegion: FaceRegion? = nil
    ) {
        self.frames = frames
        self.shots = shots
        self.frameHeight = frameHeight
        self.frameWidth = frameWidth
        self.isStill = isStill
        self.fixedRegion = fixedRegion
    }

    /// Frames tracked (1 for a still image).
    package var frameCount: Int { frames.count }

    private func frame(_ index: Int) -> TrackedFrame? {
        if isStill { return frames.first }
        return index >= 0 && index < frames.count ? frames[index] : nil
    }

    /// The crop region of frame `index`, `nil` without a face (or past the end).
    package func region(forFrame index: Int) -> FaceRegion? {
        guard let frame = frame(index), frame.hasFace else { return nil }
        return frame.region
    }

    /// The 68 landmarks of frame `index` in frame pixels, `nil` without a face.
    package func landmarks(forFrame index: Int) -> FaceLandmarks? {
        guard let frame = frame(index), frame.hasFace else { return nil }
        return frame.landmarks
    }

    /// The shot frame `index` belongs to.
    package func shot(ofFrame index: Int) -> Shot? {
        frame(index).map { shots[$0.shot] }
    }

    /// The first frame of every shot after the first (cuts and face jumps).
    package var shotStarts: [Int] { shots.dropFirst().map(\.frames.lowerBound) }

    /// Frames kept unchanged: no face found, or an empty mouth mask.
    package var framesWithoutFace: [Int] { frames.indices.filter { !frames[$0].hasFace } }

    /// The first frame with a face (a reference frame that works), if any.
    package var firstFrameWithFace: Int? { frames.firstIndex { $0.hasFace } }

    /// The crop of every frame: the fixed crop when one was given, else one per frame (`nil`
    /// without a face). ``OutputTimeline/plannedFrames(_:track:)`` turns the track into a
    /// dubbing plan's frames.
    package var regions: FaceRegions {
        if let fixedRegion { return .fixed(fixedRegion) }
        if isStill, let region = region(forFrame: 0) { return .fixed(region) }
        return .perFrame(frames.map { $0.hasFace ? $0.region : nil })
    }

    /// The landmarks for the dubber: ``LandmarkTrack/fixed(_:)`` for a still image with a
    /// face, else ``LandmarkTrack/detected(_:)`` (`nil` where a frame is kept unchanged).
    package var landmarkTrack: LandmarkTrack {
        if isStill, let points = landmarks(forFrame: 0) { return .fixed(points) }
        return .detected(frames.map { $0.hasFace ? $0.landmarks : nil })
    }

    /// The track with frames whose mouth mask (landmark 30 region, ``FaceMask/mouthMask(landmarks:size:)``)
    /// would be empty at the model's `imageSize` turned into frames without a face, listed in
    /// ``framesWithEmptyMask``: they are kept unchanged instead of failing the run.
    package func checkingMasks(imageSize: Int) -> FaceTrack {
        precondition(imageSize > 0, "FaceTrack.checkingMasks: image size \(imageSize)")
        var checked = self
        for i in frames.indices {
            guard let region = frames[i].region, let points = frames[i].landmarks else { continue }
            let local = points.translated(by: SIMD2(Float(-region.x), Float(-region.y)))
                .scaled(from: region.size, to: imageSize)
            if FaceMask.mouthMask(landmarks: local, size: imageSize).nonZeroBounds == nil {
                checked.frames[i].region = nil
                checked.frames[i].landmarks = nil
                checked.framesWithEmptyMask.append(i)
            }
        }
        return checked
    }
}
