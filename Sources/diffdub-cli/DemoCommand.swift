import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `diffdub demo`: the whole pipeline on the bundled synthetic sample, with small
/// random-weight models.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole pipeline on the bundled synthetic sample (random weights: no real lip-sync).",
        discussion: """
            Dubs the ten synthetic frames of Samples/synthetic with small models whose weights are \
            random, and a generated tone as the speech, then writes an MP4 (H.264 + AAC) or PNG frames. \
            It shows every step working end to end in seconds; because the weights are random, the \
            mouth region fills with noise-like texture and nothing follows the speech. For real \
            results, use `diffdub dub` with the released stage1/stage2 checkpoints.

            Example:
              diffdub demo --output demo.mp4
            """)

    @Option(help: "The sample folder (with frames/ and landmarks/).", completion: .directory)
    var sample: String = "Samples/synthetic"

    @Option(help: "Output: an .mp4 file or a folder of PNG frames.", completion: .file())
    var output: String = "demo.mp4"

    @Option(help: "Denoising steps.")
    var steps: Int = 20

    @Option(help: "Seed of the random weights and noise.")
    var seed: UInt64 = 0

    @Flag(help: overwriteHelp)
    var overwrite = false

    @Flag(help: "Do not report progress on standard error.")
    var quiet = false

    func validate() throws {
        try OptionRange.check("--steps", steps, DubbingOptions.stepsRange)
        do {
            _ = try SamplerKind.ddim.sampler.schedule(NoiseSchedule.diffDub, steps: steps)
        } catch {
            throw ValidationError("--steps: \(error)")
        }
        guard FileManager.default.fileExists(atPath: sample + "/frames") else {
            throw ValidationError("\(sample)/frames not found: run from the repository root or pass --sample")
        }
    }

    func run() async throws {
        if output.isEmpty { throw OutputRefusal.emptyPath }
        if !quiet {
            FileHandle.standardError.write(
                Data("demo: random weights, so the mouth region is noise and there is no real lip-sync\n".utf8))
        }
        let summary = try await DubbingDemo.run(
            sample: URL(fileURLWithPath: sample), output: URL(fileURLWithPath: output), steps: steps, seed: seed,
            overwrite: overwrite, progress: ProgressPrinter.handler(quiet: quiet))
        for message in summary.warnings { warn(message) }
        print("wrote \(output) (\(summary.renderedFrames.count) frames)")
    }
}
