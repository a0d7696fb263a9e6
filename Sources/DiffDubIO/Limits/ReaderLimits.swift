import Foundation

/// Bounds every reader checks before it allocates or loops on a count taken from a file, so
/// a hostile or corrupt input gets a clean error instead of a crash, a hang or an unbounded
/// allocation (Docs/RELIABILITY.md lists them with their reasons).
///
/// A value handed to the readers (`NumPyFile.read(_:limits:)`, `PNGFile.read(_:limits:)`,
/// `WeightFile.checkpoint(contentsOf:limits:)`, ...) and to what calls them
/// (``DubbingRequest/limits``, ``JobFolder/limits``), never a process-wide setting: each
/// defaults to ``standard``, and two readers in one process may use different limits at the
/// same time. The command line builds its limits once with `fromEnvironment(_:)`
/// (`DIFFDUB_MAX_IMAGE_PIXELS=400000000`) and passes them down.
public struct ReaderLimits: Sendable, Equatable {
    /// Most memo entries a pickle may define (`BINPUT`, `MEMOIZE`).
    /// Environment: `DIFFDUB_MAX_PICKLE_MEMO`.
    package var maximumPickleMemoEntries = 1 << 22
    /// Most items on the unpickler's stack at once. Environment: `DIFFDUB_MAX_PICKLE_STACK`.
    package var maximumPickleStackDepth = 1 << 22
    /// Deepest nesting of pickle `MARK`s and of containers. Environment: `DIFFDUB_MAX_PICKLE_NESTING`.
    package var maximumPickleNesting = 512
    /// Most entries in a zip central directory. Environment: `DIFFDUB_MAX_ZIP_ENTRIES`.
    package var maximumZipEntries = 1 << 20
    /// Most elements of one tensor beyond what its stored bytes hold (a stride-0 view of a
    /// small storage); a tensor never has more elements than this or than its storage holds.
    /// Environment: `DIFFDUB_MAX_BROADCAST_ELEMENTS`.
    package var maximumBroadcastElements = 1 << 24
    /// Longest `.npy` header, in bytes (NumPy writes under 200). Environment: `DIFFDUB_MAX_NPY_HEADER`.
    public var maximumNumPyHeaderLength = 1 << 16
    /// Longest safetensors JSON header, in bytes (the reference implementation's 100 MB).
    /// Environment: `DIFFDUB_MAX_SAFETENSORS_HEADER`.
    public var maximumSafeTensorsHeaderLength = 100 << 20
    /// Most pixels of one decoded image (default 100 megapixels, 300 MB of RGB).
    /// Environment: `DIFFDUB_MAX_IMAGE_PIXELS`.
    public var maximumImagePixels = 100_000_000
    /// Most samples (frames x channels) of one decoded audio file (default 2^30: 4 GB of
    /// floats, over 3 hours of 48 kHz stereo). Environment: `DIFFDUB_MAX_AUDIO_SAMPLES`.
    public var maximumAudioSamples = 1 << 30
    /// Lowest sample rate of an audio file, in Hz (default 1,000: below it there is no speech
    /// band; 8 kHz telephone audio is the lowest in real use). Checked before any sample is
    /// read. Environment: `DIFFDUB_MIN_AUDIO_RATE`.
    public var minimumAudioSampleRate = 1_000
    /// Highest sample rate of an audio file, in Hz (default 384,000, the highest rate of
    /// studio formats). Checked before any sample is read. Environment: `DIFFDUB_MAX_AUDIO_RATE`.
    public var maximumAudioSampleRate = 384_000
    /// Longest audio file, in seconds (default 10,800: three hours). Checked as blocks are
    /// decoded, so no more than this much audio is ever held. Environment: `DIFFDUB_MAX_AUDIO_SECONDS`.
    public var maximumAudioSeconds = 10_800
    /// Largest magnitude of a landmark coordinate, in pixels (default 1,000,000: far outside
    /// any frame, yet small enough that the mask code's integer arithmetic cannot overflow).
    /// Environment: `DIFFDUB_MAX_LANDMARK_COORDINATE`.
    public var maximumLandmarkCoordinate = 1_000_000
    /// Longest landmark file, in bytes (a 68-point file is about 1 KB per frame).
    /// Environment: `DIFFDUB_MAX_LANDMARKS_BYTES`.
    public var maximumLandmarksFileBytes = 1 << 28

    /// The built-in defaults.
    public init() {}

    /// The built-in defaults, what every reader uses unless given other limits.
    public static let standard = ReaderLimits()

    /// The environment variable of each limit, and where it lives.
    package static var environmentVariables: [(name: String, keyPath: WritableKeyPath<ReaderLimits, Int>)] {
        [
        ("DIFFDUB_MAX_PICKLE_MEMO", \.maximumPickleMemoEntries),
        ("DIFFDUB_MAX_PICKLE_STACK", \.maximumPickleStackDepth),
        ("DIFFDUB_MAX_PICKLE_NESTING", \.maximumPickleNesting),
        ("DIFFDUB_MAX_ZIP_ENTRIES", \.maximumZipEntries),
        ("DIFFDUB_MAX_BROADCAST_ELEMENTS", \.maximumBroadcastElements),
        ("DIFFDUB_MAX_NPY_HEADER", \.maximumNumPyHeaderLength),
        ("DIFFDUB_MAX_SAFETENSORS_HEADER", \.maximumSafeTensorsHeaderLength),
        ("DIFFDUB_MAX_IMAGE_PIXELS", \.maximumImagePixels),
        ("DIFFDUB_MAX_AUDIO_SAMPLES", \.maximumAudioSamples),
        ("DIFFDUB_MIN_AUDIO_RATE", \.minimumAudioSampleRate),
        ("DIFFDUB_MAX_AUDIO_RATE", \.maximumAudioSampleRate),
        ("DIFFDUB_MAX_AUDIO_SECONDS", \.maximumAudioSeconds),
        ("DIFFDUB_MAX_LANDMARKS_BYTES", \.maximumLandmarksFileBytes),
        ("DIFFDUB_MAX_LANDMARK_COORDINATE", \.maximumLandmarkCoordinate),
        ]
    }

    /// The defaults with each limit whose variable is set in `environment` to a positive
    /// integer replaced by it (other values are ignored).
    package static func fromEnvironment(_ environment: [String: String]) -> ReaderLimits {
        var limits = ReaderLimits()
        for (name, keyPath) in environmentVariables {
            if let text = environment[name], let value = Int(text.trimmingCharacters(in: .whitespaces)), value > 0 {
                limits[keyPath: keyPath] = value
            }
        }
        return limits
    }
}
