import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `diffdub job finish JOB --output OUT`: pastes back and encodes a completely rendered job.
struct JobFinishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finish",
        abstract: "Paste a rendered job's frames back into the clip and write the output.",
        discussion: """
            Refuses, writing nothing, while frames are missing (listing them) and when an input it \
            reads (the video, a frame of the frame folder, the image, the audio) changed since \
            prepare (naming the file). The output is byte-identical to `diffdub dub` with the same \
            inputs and options. --raw writes the model-resolution frames (no paste-back; the input \
            frames are not read). The output is never the job folder, anything inside it, a folder \
            holding it or an input; an existing file or earlier output is replaced only with --overwrite.
            """)

    @Argument(help: "The job folder.", completion: .directory)
    var job: String

    @Option(help: "Output: an .mp4 file or a folder of PNG frames.", completion: .file())
    var output: String

    @Flag(help: "Write the model-resolution frames as the original does (no paste-back).")
    var raw = false

    @Flag(help: overwriteHelp)
    var overwrite = false

    @Option(help: "The speech audio muxed into an .mp4 output (default: prepare's --audio).", completion: .file())
    var audio: String?

    @Flag(help: "Do not report progress on standard error.")
    var quiet = false

    @OptionGroup(title: "Lip-sync scores (also written to JOB/sync.json)")
    var scoring: SyncScoringArguments

    func run() async throws {
        if output.isEmpty { throw OutputRefusal.emptyPath }
        let syncNet = try scoring.model(output: output)
        let folder = JobFolder(URL(fileURLWithPath: job), limits: .ofThisCommand)
        let destination = DubbingRequest.Output.path(URL(fileURLWithPath: output))
        let progress = ProgressPrinter.handler(quiet: quiet)
        let audio = self.audio.map { URL(fileURLWithPath: $0) }
        let task = Task {
            try await folder.finish(output: destination, raw: raw, audio: audio, overwrite: overwrite, progress: progress)
        }
        let summary = try await InterruptHandler.whileRunning(cancel: { task.cancel() }) { try await task.value }
        for message in summary.warnings { warn(message) }
        if !quiet {
            let range = summary.renderedFrames
            FileHandle.standardError.write(Data("wrote \(output): frames \(range.lowerBound)..<\(range.upperBound)\n".utf8))
        }
        if let syncNet {
            guard (try? VideoProbe.info(URL(fileURLWithPath: output), limits: .ofThisCommand))?.hasAudio == true else {
                throw CommandError("--score: \(output) has no audio to score against (prepare the job with --audio)")
            }
            let tracks = try SyncScoringArguments.report(output: output, model: syncNet, detector: nil)
            let file = URL(fileURLWithPath: job).appendingPathComponent("sync.json")
            try Data((SyncCommand.json(tracks) + "\n").utf8).write(to: file, options: .atomic)
        }
    }
}
