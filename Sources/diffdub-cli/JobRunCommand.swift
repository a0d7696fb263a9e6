import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `diffdub job run JOB --shard K/N`: renders one shard of a prepared job.
struct JobRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Render shard K of N of a prepared job into JOB/frames/.",
        discussion: """
            Shard K renders the batch blocks b with b % N == K (with --batch 1: the frames i with \
            i % N == K). Frames already rendered are skipped, so a killed shard run again continues; \
            two copies of one shard may run at once. Checks the checkpoints' SHA-256 against the \
            manifest; needs neither the inputs nor the face models.

              diffdub job run job1 --shard 0/2 --threads 1
              sbatch --array=0-15 --wrap 'diffdub job run job1 --shard $SLURM_ARRAY_TASK_ID/16'
              (Kubernetes Indexed Job)  diffdub job run /shared/job1 --shard $JOB_COMPLETION_INDEX/16
            """)

    @Argument(help: "The job folder.", completion: .directory)
    var job: String

    @Option(help: "K/N: this shard (K from 0) of N.")
    var shard: String = "0/1"

    @Option(help: "Kernel threads (default: every processor).")
    var threads: Int?

    @Option(help: "The stage-1 checkpoint on this machine (default: the path prepare recorded; the SHA-256 must match).", completion: .file())
    var stage1: String?

    @Option(help: "The stage-2 checkpoint on this machine (default: the path prepare recorded; the SHA-256 must match).", completion: .file())
    var stage2: String?

    @Flag(help: "Do not report progress on standard error.")
    var quiet = false

    func validate() throws {
        do { _ = try JobShard(parsing: shard) } catch { throw ValidationError("--shard \(shard): expected K/N with 0 <= K < N") }
        if let threads { try OptionRange.check("--threads", threads, OptionRange.threads) }
    }

    func run() async throws {
        let folder = JobFolder(URL(fileURLWithPath: job), limits: .ofThisCommand)
        let shard = try JobShard(parsing: shard)
        let compute = ComputeSettings(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let progress = ProgressPrinter.handler(quiet: quiet)
        let checkpoints = JobCheckpoints(
            stage1: stage1.map { URL(fileURLWithPath: $0) }, stage2: stage2.map { URL(fileURLWithPath: $0) })
        let task = Task { try await folder.render(shard: shard, compute: compute, checkpoints: checkpoints, progress: progress) }
        let summary = try await InterruptHandler.whileRunning(cancel: { task.cancel() }) { try await task.value }
        if !quiet {
            FileHandle.standardError.write(
                Data("shard \(shard): rendered \(summary.rendered) frames, \(summary.skipped) already done\n".utf8))
        }
    }
}
