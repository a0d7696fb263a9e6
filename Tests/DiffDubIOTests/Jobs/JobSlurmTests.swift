import DiffDubIO
import Foundation
import IOTestSupport
import TestSupport
import Testing

/// A 4-task Slurm array over `diffdub job run`, on the cluster `SLURM_CONF` names.
///
/// Runs when `SLURM_CONF` is set: `bash scripts/test.sh` (the README's and CI's test command)
/// brings up the one-node Slurm of `scripts/slurm-local.sh` and sets it, so this test never
/// skips there; a bare `swift test` without a cluster skips it.
@Suite("Dubbing jobs on Slurm")
struct JobSlurmTests {
    static let slurmConf = ProcessInfo.processInfo.environment["SLURM_CONF"].flatMap { $0.isEmpty ? nil : $0 }

    @Test(
        "sbatch --array=0-3 --wait over diffdub job run equals one dub --raw, frame for frame",
        .enabled(if: slurmConf != nil && DiffDubExecutable.url != nil, "needs SLURM_CONF (bash scripts/test.sh sets it)"),
        .timeLimit(.minutes(10)))
    func array() throws {
        let directory = try TemporaryDirectory()
        let dub = directory.url.appendingPathComponent("dub")
        let job = directory.url.appendingPathComponent("job")
        try JobTests.diffdub(["dub"] + JobTests.dubArguments() + ["--raw", "--output", dub.path])
        try JobTests.diffdub(["job", "prepare", job.path] + JobTests.dubArguments())

        let executable = try #require(DiffDubExecutable.url)
        let sbatch = Process()
        sbatch.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sbatch.arguments = [
            "sbatch", "--array=0-3", "--wait", "--job-name=diffdub-test", "--chdir", directory.url.path,
            "--output", directory.url.appendingPathComponent("slurm-%a.out").path,
            "--wrap", "exec '\(executable.path)' job run '\(job.path)' --shard $SLURM_ARRAY_TASK_ID/4 --threads 1",
        ]
        let pipe = Pipe()
        sbatch.standardOutput = pipe
        sbatch.standardError = pipe
        try sbatch.run()
        let said = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        sbatch.waitUntilExit()
        let logs = (0..<4).compactMap { try? String(contentsOf: directory.url.appendingPathComponent("slurm-\($0).out"), encoding: .utf8) }
        try #require(sbatch.terminationStatus == 0, "sbatch: \(said)\n\(logs.joined(separator: "\n"))")
        // Every task rendered its own frames (shard k: frames k and k + 4, ...).
        for log in logs { #expect(log.contains("already done"), "\(log)") }

        let status = try DiffDubExecutable.run(["job", "status", job.path])
        #expect(status.status == 0 && status.standardOutput == "10/10 frames\n")
        try JobTests.expectSameFrames(job: job, dub: dub)
        let finished = directory.url.appendingPathComponent("finished")
        try JobTests.diffdub(["job", "finish", job.path, "--raw", "--output", finished.path, "--quiet"])
        #expect(try JobTests.files(finished) == JobTests.files(dub))
    }
}
