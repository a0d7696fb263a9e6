import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// The face-detection options shared by `diffdub landmarks` and `diffdub dub` (used by `dub`
/// when `--landmarks` is absent).
struct FaceDetectionOptions: ParsableArguments {
    @Option(help: "FaceBoxesV2 weights (default: faceboxesv2.pth from the model folders, see Docs/FACES.md).", completion: .file())
    var detector: String?

    @Option(help: "PIPNet weights (default: pipnet_resnet18_10x68x32x256_300w.pth from the model folders).", completion: .file())
    var landmarkModel: String?

    @Option(help: "With several faces, dub face K counted from the left (0-based); default the widest.")
    var face: Int?

    @Option(
        help: """
            With two or more faces, dub face K (numbered per shot left to right, as `diffdub sync --video`) and leave \
            the others untouched; `auto`: in each shot the face whose lips follow the video's own audio best (SyncNet).
            """)
    var speaker: String?

    @Option(help: "Who speaks when: `start end face` lines (seconds); frames no line covers are kept.", completion: .file())
    var speakers: String?

    @Option(help: "Expansion ratio of the automatic face crop (the original's 0.6).")
    var expand: Double = 0.6

    @Option(help: "Run the face detector on every Nth frame only (landmarks still on every frame).")
    var detectEvery: Int = 1

    @Option(help: "Smooth landmarks over +-R frames (0 = off) against mask jitter.")
    var smooth: Int = 0

    /// Checks every option against the library's ranges (``FaceTrackingOptions/validate()``).
    func validate() throws {
        do {
            try tracking.validate()
        } catch let error as FaceTrackingError {
            throw ValidationError(ErrorWording.rewrite(error.description))
        }
        if let speaker, speaker != "auto", (Int(speaker) ?? -1) < 0 {
            throw ValidationError("--speaker must be a face number (0 or more) or auto, not \(speaker)")
        }
        if [face != nil, speaker != nil, speakers != nil].filter({ $0 }).count > 1 {
            throw ValidationError("give only one of --face, --speaker and --speakers")
        }
        if let speakers { _ = try SpeakerArguments.spans(file: speakers) }
    }

    /// The tracking options.
    var tracking: FaceTrackingOptions {
        var options = FaceTrackingOptions()
        options.choice = face.map { .index($0) } ?? .largest
        options.expandRatio = expand
        options.detectEvery = detectEvery
        options.smoothingRadius = smooth
        if let speaker, let k = Int(speaker) { options.speakers = SpeakerSpan.always(k) }
        // Checked by validate().
        if let speakers, let spans = try? SpeakerArguments.spans(file: speakers) { options.speakers = spans }
        return options
    }

    /// `--detector`, or the file found in the model folders (``ModelFolders``).
    var detectorURL: URL? { ModelFolders.file(detector, named: FaceModelFiles.detectorFileName) }
    /// `--landmark-model`, or the file found in the model folders.
    var landmarkModelURL: URL? { ModelFolders.file(landmarkModel, named: FaceModelFiles.landmarkModelFileName) }
}
