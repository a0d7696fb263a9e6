import Foundation

/// The `speaker` option of a job, as `dub --speaker K|auto`: a face counted from the left, or
/// `auto`, the face whose lips follow the video's own audio best in each shot (SyncNet,
/// resolved when the job is prepared). JSON: the number, or `"auto"`.
public enum SpeakerOption: Sendable, Codable, Equatable {
    /// `--speaker K`: face K (0 or more) counted from the left in every shot.
    case face(Int)
    /// `--speaker auto`: the speaking face of each shot, found with SyncNet.
    case automatic

    /// `K` (0 or more) or `auto`; `nil` for anything else.
    public init?(_ text: String) {
        if text.lowercased() == "auto" {
            self = .automatic
        } else if let face = Int(text), face >= 0 {
            self = .face(face)
        } else {
            return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let face = try? container.decode(Int.self), face >= 0 {
            self = .face(face)
        } else if let text = try? container.decode(String.self), text == "auto" {
            self = .automatic
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "speaker: expected a face number or \"auto\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .face(let face): try container.encode(face)
        case .automatic: try container.encode("auto")
        }
    }
}
