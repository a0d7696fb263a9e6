import DiffDubCore
import Foundation

// A request is stored as JSON with file paths as plain strings and each enum as an object with
// one key naming its case, e.g. `"frames": {"video": "/clips/talk.mp4"}`. Parts held in memory
// (loaded models, a frame source, tensors, a sink) throw ``DubbingRequestError/notEncodable(part:)``.

extension DubbingRequest: Codable {
    private enum CodingKeys: String, CodingKey {
        case models, frames, landmarks, speech, audio, noise, options, output, overwrite, compute
    }

    /// Reads a request saved by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            models: try container.decode(Models.self, forKey: .models),
            frames: try container.decode(Frames.self, forKey: .frames),
            landmarks: try container.decode(Landmarks.self, forKey: .landmarks),
            speech: try container.decode(Speech.self, forKey: .speech),
            audio: try container.decodeIfPresent(String.self, forKey: .audio).map { URL(fileURLWithPath: $0) },
            noise: try container.decode(Noise.self, forKey: .noise),
            options: try container.decode(DubbingOptions.self, forKey: .options),
            output: try container.decode(Output.self, forKey: .output),
            overwrite: try container.decodeIfPresent(Bool.self, forKey: .overwrite) ?? false,
            compute: try container.decodeIfPresent(ComputeSettings.self, forKey: .compute) ?? ComputeSettings())
    }

    /// Writes the request's values and paths.
    ///
    /// - Throws: ``DubbingRequestError/notEncodable(part:)`` for parts held in memory.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(models, forKey: .models)
        try container.encode(frames, forKey: .frames)
        try container.encode(landmarks, forKey: .landmarks)
        try container.encode(speech, forKey: .speech)
        try container.encodeIfPresent(audio?.path, forKey: .audio)
        try container.encode(noise, forKey: .noise)
        try container.encode(options, forKey: .options)
        try container.encode(output, forKey: .output)
        if overwrite { try container.encode(true, forKey: .overwrite) }  // absent: false
        try container.encode(compute, forKey: .compute)
    }
}

/// The coding keys of the single-case objects below.
private struct CaseKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Decoding of a `{"case": value}` object.
private struct CaseDecoder {
    let container: KeyedDecodingContainer<CaseKey>
    let name: String

    init(_ decoder: any Decoder) throws {
        container = try decoder.container(keyedBy: CaseKey.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected an object with exactly one key"))
        }
        name = key.stringValue
    }

    func url() throws -> URL { URL(fileURLWithPath: try container.decode(String.self, forKey: CaseKey(name))) }

    func value<T: Decodable>(_ type: T.Type) throws -> T { try container.decode(type, forKey: CaseKey(name)) }

    func unknown() -> DecodingError {
        .dataCorrupted(.init(codingPath: container.codingPath, debugDescription: "unknown case \"\(name)\""))
    }
}

private func encodeCase(_ encoder: any Encoder, _ name: String, path url: URL) throws {
    var container = encoder.container(keyedBy: CaseKey.self)
    try container.encode(url.path, forKey: CaseKey(name))
}

private func encodeCase<T: Encodable>(_ encoder: any Encoder, _ name: String, _ value: T) throws {
    var container = encoder.container(keyedBy: CaseKey.self)
    try container.encode(value, forKey: CaseKey(name))
}

extension DubbingRequest.Models: Codable {
    private struct Files: Codable {
        var stage1: String
        var stage2: String
        var imageSize: Int?
    }

    /// Reads `{"files": {"stage1": ..., "stage2": ..., "imageSize": ...}}`.
    public init(from decoder: any Decoder) throws {
        let one = try CaseDecoder(decoder)
        guard one.name == "files" else { throw one.unknown() }
        let files = try one.value(Files.self)
        self = .files(
            stage1: URL(fileURLWithPath: files.stage1), stage2: URL(fileURLWithPath: files.stage2),
            imageSize: files.imageSize)
    }

    /// Writes the checkpoint paths; loaded models throw.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .files(let stage1, let stage2, let imageSize):
            try encodeCase(encoder, "files", Files(stage1: stage1.path, stage2: stage2.path, imageSize: imageSize))
        case .loaded, .session: throw DubbingRequestError.notEncodable(part: "models")
        }
    }
}

extension DubbingRequest.Frames: Codable {
    /// Reads `{"video" | "frameFolder" | "image": path}`.
    public init(from decoder: any Decoder) throws {
        let one = try CaseDecoder(decoder)
        switch one.name {
        case "video": self = .video(try one.url())
        case "frameFolder": self = .frameFolder(try one.url())
        case "image": self = .image(try one.url())
        default: throw one.unknown()
        }
    }

    /// Writes the path; a frame source throws.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .video(let url): try encodeCase(encoder, "video", path: url)
        case .frameFolder(let url): try encodeCase(encoder, "frameFolder", path: url)
        case .image(let url): try encodeCase(encoder, "image", path: url)
        case .source: throw DubbingRequestError.notEncodable(part: "frame source")
        }
    }
}

extension DubbingRequest.Landmarks: Codable {
    /// Reads `{"file": path}` or `{"detect": {...}}`.
    public init(from decoder: any Decoder) throws {
        let one = try CaseDecoder(decoder)
        switch one.name {
        case "file": self = .file(try one.url())
        case "detect": self = .detect(try one.value(DubbingRequest.FaceDetection.self))
        default: throw one.unknown()
        }
    }

    /// Writes the file or the detection settings; a track in memory throws.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .file(let url): try encodeCase(encoder, "file", path: url)
        case .detect(let detection): try encodeCase(encoder, "detect", detection)
        case .track: throw DubbingRequestError.notEncodable(part: "landmark track")
        }
    }
}

extension DubbingRequest.Speech: Codable {
    /// Reads `{"hubertFeatures" | "hubertModel": path}`.
    public init(from decoder: any Decoder) throws {
        let one = try CaseDecoder(decoder)
        switch one.name {
        case "hubertFeatures": self = .hubertFeatures(try one.url())
        case "hubertModel": self = .hubertModel(try one.url())
        default: throw one.unknown()
        }
    }

    /// Writes the path; features in memory throw.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .hubertFeatures(let url): try encodeCase(encoder, "hubertFeatures", path: url)
        case .hubertModel(let url): try encodeCase(encoder, "hubertModel", path: url)
        case .features: throw DubbingRequestError.notEncodable(part: "speech features")
        }
    }
}

extension DubbingRequest.Noise: Codable {
    /// Reads `{"seed": n}` or `{"file": path}`.
    public init(from decoder: any Decoder) throws {
        let one = try CaseDecoder(decoder)
        switch one.name {
        case "seed": self = .seed(try one.value(UInt64.self))
        case "file": self = .file(try one.url())
        default: throw one.unknown()
        }
    }

    /// Writes the seed or the path; a tensor throws.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .seed(let seed): try encodeCase(encoder, "seed", seed)
        case .file(let url): try encodeCase(encoder, "file", path: url)
        case .tensor: throw DubbingRequestError.notEncodable(part: "noise")
        }
    }
}

extension DubbingRequest.Output: Codable {
    /// Reads `{"video" | "frameFolder": path}`.
    public init(from decoder: any Decoder) throws {
        let one = try CaseDecoder(decoder)
        switch one.name {
        case "video": self = .video(try one.url())
        case "frameFolder": self = .frameFolder(try one.url())
        default: throw one.unknown()
        }
    }

    /// Writes the path; a sink throws.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .video(let url): try encodeCase(encoder, "video", path: url)
        case .frameFolder(let url): try encodeCase(encoder, "frameFolder", path: url)
        case .sink: throw DubbingRequestError.notEncodable(part: "output sink")
        }
    }
}

extension DubbingRequest.FaceDetection {
    private enum CodingKeys: String, CodingKey { case detector, landmarkModel, tracking }

    /// Reads the model paths (absent: searched) and the tracking settings.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            detector: try container.decodeIfPresent(String.self, forKey: .detector).map { URL(fileURLWithPath: $0) },
            landmarkModel: try container.decodeIfPresent(String.self, forKey: .landmarkModel).map {
                URL(fileURLWithPath: $0)
            },
            tracking: try container.decodeIfPresent(FaceTrackingOptions.self, forKey: .tracking)
                ?? FaceTrackingOptions())
    }

    /// Writes the model paths as strings and the tracking settings.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(detector?.path, forKey: .detector)
        try container.encodeIfPresent(landmarkModel?.path, forKey: .landmarkModel)
        try container.encode(tracking, forKey: .tracking)
    }
}
