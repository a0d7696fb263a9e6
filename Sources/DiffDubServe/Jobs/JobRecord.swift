import Foundation

/// What the server knows of a job, as `GET /api/jobs/{id}` answers it and as `job.json` stores
/// it (written through a temporary file and a rename).
public struct JobRecord: Sendable, Codable, Equatable {
    /// The id.
    public var id: JobID
    /// The state.
    public var status: JobState
    /// The progress of the current phase.
    public var progress: JobProgress
    /// Why the job failed (one line), else `nil`.
    public var error: String?
    /// Frames found already rendered when the job's rendering last started after an
    /// interruption (0 for a job never interrupted).
    public var resumedFrames: Int
    /// When the job was created (ISO 8601).
    public var created: String
    /// The options, as the form gave them (with defaults filled in).
    public var options: JobOptions
    /// The uploaded files, by form field (`video`, `image`, `audio`, `hubert`): their names
    /// as the client sent them (shown only, never used as paths).
    public var inputs: [String: String]
    /// Whether rendering started in an earlier run of the server (recovery counts resumed frames).
    public var renderStarted: Bool
    /// With `speaker` `auto`: the face dubbed in each shot, once the job's preparation chose
    /// them (`nil` before, and for every other job).
    package var speakers: [SpeakerShot]? = nil

    enum CodingKeys: String, CodingKey {
        case id, status, progress, error, created, options, inputs, speakers
        case resumedFrames = "resumed_frames"
        case renderStarted = "render_started"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(status, forKey: .status)
        try container.encode(progress, forKey: .progress)
        try container.encode(error, forKey: .error)
        try container.encode(resumedFrames, forKey: .resumedFrames)
        try container.encode(created, forKey: .created)
        try container.encode(options, forKey: .options)
        try container.encode(inputs, forKey: .inputs)
        try container.encode(renderStarted, forKey: .renderStarted)
        try container.encode(speakers, forKey: .speakers)
    }

    /// The JSON of the API and of `job.json`.
    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
