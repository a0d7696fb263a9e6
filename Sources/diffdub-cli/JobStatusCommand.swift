import ArgumentParser
import DiffDubIO
import Foundation

/// `diffdub job status JOB`: how many frames are rendered, and which are missing.
struct JobStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print DONE/TOTAL frames, then the missing ranges; exit 0 only when every frame is rendered.",
        discussion: """
            Output:
              1498/1500 frames
              missing 212-213
            Exit status: 0 complete, 1 frames missing (or not a job folder).
            """)

    @Argument(help: "The job folder.", completion: .directory)
    var job: String

    func run() throws {
        let folder = JobFolder(URL(fileURLWithPath: job), limits: .ofThisCommand)
        let status = try folder.status()
        FileHandle.standardOutput.write(Data((status.description + "\n").utf8))
        // Not an error to report: the lines above say what is missing.
        if !status.isComplete { Foundation.exit(1) }
    }
}
