import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `diffdub join`: the frame folders of slices rendered with `--frame-range` into one video.
struct JoinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Join the PNG frame folders of slices (diffdub dub --frame-range) into one video or folder.",
        discussion: """
            Each slice folder holds frames named by their absolute number (000000.png, ...). The \
            slices must cover a contiguous run of frames exactly once; the frames are identical to a \
            single run's, so the joined video is too.

            Example (two machines, then one join):
              diffdub dub ... --frame-range 0:250 --output part0
              diffdub dub ... --frame-range 250: --output part1
              diffdub join part0 part1 --audio speech.wav --output dubbed.mp4
            """)

    @Argument(help: "The slice folders.", completion: .directory)
    var slices: [String]

    @Option(help: "The speech audio muxed into an .mp4 output.", completion: .file())
    var audio: String?

    @Option(help: "Output: an .mp4 file or a folder of PNG frames.", completion: .file())
    var output: String

    @Flag(help: overwriteHelp)
    var overwrite = false

    @Flag(help: "Do not report progress on standard error.")
    var quiet = false

    func validate() throws {
        guard !slices.isEmpty else { throw ValidationError("give at least one slice folder") }
    }

    func run() throws {
        let inputs = slices.map { (role: "slice folder", path: Optional($0)) } + [("audio", audio)]
        let outputGuard = makeOutputGuard(inputs: inputs, overwrite: overwrite)
        try outputGuard.check(path: output)
        let joined = try FrameSlices(folders: slices.map { URL(fileURLWithPath: $0) })
        let url = URL(fileURLWithPath: output)
        let progress = ProgressPrinter.handler(quiet: quiet)
        if FrameOutput.isVideo(url), audio == nil { warn("no --audio: the video will be silent") }
        try FrameOutput.writing(to: url, audio: audio.map { URL(fileURLWithPath: $0) }, outputGuard: outputGuard) { sink in
            try joined.write(to: sink, limits: .ofThisCommand, progress: progress)
        }
        if !quiet { print("wrote \(output): frames \(joined.range.lowerBound)..<\(joined.range.upperBound)") }
    }
}
