import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `diffdub job prepare JOB <dub's inputs and options>`: all per-clip work, once.
struct JobPrepareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Do a dub's per-clip work once and write the job folder JOB.",
        discussion: """
            Takes the inputs and options of `diffdub dub` (without --output and --raw, which belong to \
            `finish`). Decodes the clip, detects faces (without --landmarks), computes or reads the \
            Hubert features, the reference and lip latents and the noise, and writes JOB/manifest.json \
            (the request, every input and both checkpoints with size and SHA-256) and JOB/plan/ (what \
            every frame needs). JOB must not hold a job already. With a SyncNet model (--syncnet-model,             or the downloaded one) it notes, as `dub` does, when the input video is already out of sync             with its own audio (Docs/SYNC.md).
            """)

    @Argument(help: "The job folder to create.", completion: .directory)
    var job: String

    @OptionGroup var dubbing: DubbingArguments

    @Flag(help: "Do not report progress on standard error.")
    var quiet = false

    @OptionGroup(title: "Lip-sync scores")
    var syncNet: SyncNetModelArguments

    func run() async throws {
        PrecisionNotice.warnIfUnsupported(dubbing.precision)
        let folder = JobFolder(URL(fileURLWithPath: job), limits: .ofThisCommand)
        var request = dubbing.request(output: folder.framesURL.path, raw: true)
        var inputScores: [TrackSyncScores]?
        if dubbing.faces.speaker == "auto" {
            inputScores = try SpeakerArguments.chooseAutomatically(&request, dubbing: dubbing, syncNet: syncNet)
        }
        // The input's own sync, as `dub` notes it (also with --quiet).
        SyncScoringArguments.noteInputOffset(of: request, dubbing: dubbing, model: try syncNet.located(), scored: inputScores)
        let progress = ProgressPrinter.handler(quiet: quiet)
        let task = Task {
            try await folder.prepare(request, toolVersion: DiffDubCommand.configuration.version, progress: progress)
        }
        let manifest = try await InterruptHandler.whileRunning(cancel: { task.cancel() }) { try await task.value }
        if !quiet {
            FileHandle.standardError.write(
                Data("prepared \(job): \(manifest.frameCount) frames (\(manifest.frames.lowerBound)..<\(manifest.frames.upperBound))\n".utf8))
        }
    }
}
