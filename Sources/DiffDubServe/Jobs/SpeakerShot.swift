import DiffDubCore
import DiffDubIO
import Foundation

/// The face a job with `speaker` `auto` dubs in one shot, as its preparation chose it
/// (``SpeakerSearch``): `{"start_frame", "end_frame", "face", "line"}` in the job record.
package struct SpeakerShot: Sendable, Codable, Equatable {
    /// The shot's first frame (25 fps).
    package var startFrame: Int
    /// The frame after its last.
    package var endFrame: Int
    /// The face dubbed, numbered per shot from the left.
    package var face: Int
    /// What `dub --speaker auto` prints for the shot: `speaker: shot S (frames A..<B): face F of N (LSE-C C)`.
    package var line: String

    enum CodingKeys: String, CodingKey {
        case face, line
        case startFrame = "start_frame"
        case endFrame = "end_frame"
    }

    /// The shots of `choice`, a line each.
    package static func shots(of choice: SpeakerSearch.Choice) -> [SpeakerShot] {
        zip(choice.spans, choice.report).map { span, line in
            SpeakerShot(startFrame: span.frames.lowerBound, endFrame: span.frames.upperBound, face: span.face, line: line)
        }
    }

    /// The span the dub's tracking options take.
    package var span: SpeakerSpan { SpeakerSpan(frames: startFrame..<max(startFrame, endFrame), face: face) }
}
