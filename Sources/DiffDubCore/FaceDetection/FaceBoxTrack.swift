/// One face followed through consecutive frames of one shot: its box in every frame of
/// ``frames`` (frames where the detector missed it, at most ``FaceTrackingOptions/maximumGap``
/// in a row, hold the box interpolated between its neighbours, with score 0). Made by
/// ``FaceDetections/faceTracks(options:)``.
package struct FaceBoxTrack: Sendable, Equatable {
    /// The shot (run of frames between cuts, ``FaceDetections/shots(options:)``) the track lies in.
    package var shot: Int
    /// The face's number in its shot: tracks of a shot are numbered from 0, left to right by
    /// the centre of their box in the track's first frame.
    package var face: Int
    /// The track's first frame.
    package var firstFrame: Int
    /// The box of frames `firstFrame`, `firstFrame + 1`, …
    package var boxes: [FaceBox]

    /// A track from its parts.
    package init(shot: Int, face: Int, firstFrame: Int, boxes: [FaceBox]) {
        self.shot = shot
        self.face = face
        self.firstFrame = firstFrame
        self.boxes = boxes
    }

    /// The frames the track covers.
    package var frames: Range<Int> { firstFrame..<(firstFrame + boxes.count) }

    /// The box of frame `index`, `nil` outside the track.
    package func box(forFrame index: Int) -> FaceBox? {
        frames.contains(index) ? boxes[index - firstFrame] : nil
    }
}
