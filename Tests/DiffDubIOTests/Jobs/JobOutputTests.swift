import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

/// `JobFolder.finish` never writes over the job: the folder, anything inside it and a folder
/// holding it are refused first (before the job's completeness), and the job stays byte for byte.
@Suite("Dubbing jobs: what finish may replace")
struct JobOutputTests {
    @Test("finish into the job, its plan, a folder holding it or an input is refused; the job is untouched")
    func finishNeverReplacesTheJob() async throws {
        let directory = try TemporaryDirectory()
        let root = URL(fileURLWithPath: OutputGuard.resolved(directory.url.path))
        let job = JobFolder(root.appendingPathComponent("jobs/J"))
        let request = try DubbingRequestOutputTests.request(in: root, output: root.appendingPathComponent("unused"))
        _ = try await job.prepare(request, toolVersion: "test")
        let before = try FileTreeSnapshot(root)
        let jobPath = job.url.path
        let role = JobFolder.outputGuardRole
        let cases: [(URL, OutputRefusal)] = [
            (job.url, .isProtected(path: jobPath, role: role)),
            (job.planURL, .insideProtected(path: job.planURL.path, role: role, protected: jobPath)),
            (job.framesURL, .insideProtected(path: job.framesURL.path, role: role, protected: jobPath)),
            (job.url.appendingPathComponent("plan/.."), .isProtected(path: jobPath + "/plan/..", role: role)),
            (
                root.appendingPathComponent("jobs"),
                .holdsProtected(path: root.appendingPathComponent("jobs").path, role: role, protected: jobPath)
            ),
            (
                root.appendingPathComponent("clip/frames"),
                .isProtected(path: root.appendingPathComponent("clip/frames").path, role: "frame folder")
            ),
        ]
        for (output, refusal) in cases {
            for overwrite in [false, true] {
                await #expect(throws: refusal, "\(output.path)") {
                    try await job.finish(output: .path(output), raw: true, overwrite: overwrite)
                }
            }
        }
        // An existing file: refused before the job's completeness is even looked at.
        let file = root.appendingPathComponent("earlier.mp4")
        try Data("earlier".utf8).write(to: file)
        await #expect(throws: OutputRefusal.existingFile(path: file.path)) { try await job.finish(output: .path(file)) }
        try FileManager.default.removeItem(at: file)
        #expect(try FileTreeSnapshot(root) == before)
        // A fresh path passes the check and meets the job's own (no frame rendered yet).
        await #expect(throws: JobError.self) { try await job.finish(output: .path(root.appendingPathComponent("new"))) }
    }
}
