import DiffDubCore
import Foundation

/// The options of a job, named as `diffdub dub`'s flags (`--steps` is `steps`, `--one-shot` /
/// `--few-shot` is `one_shot`, `--reference-frame` is `reference_frame`, ...), with `dub`'s
/// defaults; ``dubbingOptions`` and ``tracking(speakers:)`` are exactly what `dub` builds from
/// the same flags.
public struct JobOptions: Sendable, Codable, Equatable {
    /// `--steps`: denoising steps.
    public var steps: Int = 20
    /// `--sampler`: `ddim` or `dpmpp2m`.
    public var sampler: SamplerKind = .ddim
    /// `--fit`: `speech` or `shortest`.
    public var fit: TimelineFit = .speech
    /// `--fps`: `25` or `source`.
    public var fps: String = "25"
    /// `--precision`: `fp32` or `bf16`.
    public var precision: Precision = .fp32
    /// `--seed`: the starting noise's seed.
    public var seed: UInt64 = 0
    /// `--one-shot` (true, the default) or `--few-shot` (false).
    public var oneShot: Bool = true
    /// `--reference-frame`.
    public var referenceFrame: Int = 0
    /// `--speaker K|auto`: dub face K counted from the left, or the face that speaks in each
    /// shot (`nil`: the widest face).
    public var speaker: SpeakerOption?

    enum CodingKeys: String, CodingKey {
        case steps, sampler, fit, fps, precision, seed, speaker
        case oneShot = "one_shot"
        case referenceFrame = "reference_frame"
    }

    /// `dub`'s defaults.
    public init() {}

    /// Every option, `speaker` as `null` when not given (the API's schema lists every key).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(steps, forKey: .steps)
        try container.encode(sampler, forKey: .sampler)
        try container.encode(fit, forKey: .fit)
        try container.encode(fps, forKey: .fps)
        try container.encode(precision, forKey: .precision)
        try container.encode(seed, forKey: .seed)
        try container.encode(oneShot, forKey: .oneShot)
        try container.encode(referenceFrame, forKey: .referenceFrame)
        try container.encode(speaker, forKey: .speaker)
    }

    /// The form field names of the options.
    public static let fieldNames: Set<String> = [
        "steps", "sampler", "fit", "fps", "precision", "seed", "one_shot", "reference_frame", "speaker",
    ]

    /// Options from form fields (`fields` holds only names of ``fieldNames``), each value parsed
    /// as `dub` parses its flag, then checked through the library's validation
    /// (``DubbingOptions/validate()``, the sampler's schedule for `steps`).
    ///
    /// - Throws: ``ServeError`` (400) naming the field and what is wrong.
    public init(fields: [String: String]) throws {
        func value<T>(_ name: String, _ parse: (String) -> T?, expected: String) throws -> T? {
            guard let text = fields[name]?.trimmingCharacters(in: .whitespaces) else { return nil }
            guard let parsed = parse(text) else { throw ServeError.badRequest("\(name) \(Self.quote(text)): expected \(expected)") }
            return parsed
        }
        steps = try value("steps", { Int($0) }, expected: "an integer") ?? steps
        sampler = try value("sampler", SamplerKind.init(rawValue:), expected: "ddim or dpmpp2m") ?? sampler
        fit = try value("fit", TimelineFit.init(rawValue:), expected: "speech or shortest") ?? fit
        fps = try value("fps", { ["25", "source"].contains($0) ? $0 : nil }, expected: "25 or source") ?? fps
        precision = try value("precision", Precision.init(rawValue:), expected: "fp32 or bf16") ?? precision
        seed = try value("seed", { UInt64($0) }, expected: "an integer from 0 to \(UInt64.max)") ?? seed
        oneShot = try value("one_shot", Self.parseBool, expected: "true or false") ?? oneShot
        referenceFrame = try value("reference_frame", { Int($0) }, expected: "an integer") ?? referenceFrame
        speaker = try value("speaker", SpeakerOption.init, expected: "a face number (0 or more) or auto")
        try check()
    }

    /// Checks the values through the library: ``DubbingOptions/validate()`` and the sampler's
    /// schedule for the step count.
    func check() throws {
        do {
            try dubbingOptions.validate()
            _ = try sampler.sampler.schedule(NoiseSchedule.diffDub, steps: steps)
        } catch let error as DubbingError {
            throw ServeError.badRequest(Self.fieldWording(error.localizedDescription))
        } catch {
            throw ServeError.badRequest("steps \(steps): \(error.localizedDescription)")
        }
    }

    /// The run's options (`dub` without `--raw`, `--batch`, `--frame-range`, `--crop`).
    public var dubbingOptions: DubbingOptions {
        DubbingOptions(
            referenceMode: oneShot ? .oneShot : .fewShot, referenceFrame: referenceFrame, steps: steps, sampler: sampler,
            batchSize: 1, frameRange: FrameRange(), raw: false, faceRegion: nil, fit: fit,
            frameRate: fps == "source" ? .source : .model, precision: precision, strict: false)
    }

    /// The face tracking of `dub` with `--speaker` (or without it); with `speaker` `auto`, the
    /// faces chosen for it (`speakers`, found when the job is prepared).
    package func tracking(speakers: [SpeakerSpan]? = nil) -> FaceTrackingOptions {
        var options = FaceTrackingOptions()
        options.choice = .largest
        options.expandRatio = 0.6
        options.detectEvery = 1
        options.smoothingRadius = 0
        switch speaker {
        case .face(let face): options.speakers = SpeakerSpan.always(face)
        case .automatic: options.speakers = speakers
        case nil: break
        }
        return options
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes", "on": true
        case "false", "0", "no", "off": false
        default: nil
        }
    }

    /// The library's option names as the form's fields.
    static func fieldWording(_ message: String) -> String {
        message.replacingOccurrences(of: "referenceFrame", with: "reference_frame")
    }

    /// `text` quoted, cut to 40 characters (a value in an error message).
    static func quote(_ text: String) -> String {
        "\"" + (text.count > 40 ? String(text.prefix(40)) + "..." : text) + "\""
    }
}
