import DiffDubCore
import DiffDubIO
import Foundation
import FuzzDriver

/// The files of a job folder an input may replace, chosen by its first byte (modulo the count);
/// the rest of the input is the file's new content.
let replaceable = [
    "manifest.json", "plan/plan.json", "plan/lip_latents.npy", "plan/noise.npy", "plan/reference.png",
    "plan/reference_landmarks.npy", "plan/face_landmarks.npy", "plan/faces/000000.png", "frames/000003.png",
]

/// A small real job: the regression corpus's `job/base`, or `$DIFFDUB_FUZZ_JOB`.
let base = ProcessInfo.processInfo.environment["DIFFDUB_FUZZ_JOB"].map { URL(fileURLWithPath: $0) }
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Tests/DiffDubIOTests/Limits/Regressions/job/base")

/// A copy of ``base``, made once in a temporary folder.
let job: URL = {
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("diffdub-fuzz-job-\(getpid())")
    try? FileManager.default.removeItem(at: copy)
    try! FileManager.default.copyItem(at: base, to: copy)
    return copy
}()

/// Whatever a job command does with a tampered folder, it either succeeds or throws a
/// `JobError` whose one line starts with the path of a file of the job.
func expectOneLine(_ body: () throws -> Void) {
    do {
        try body()
    } catch {
        let line = error.localizedDescription
        precondition(error is JobError, "not a JobError: \(line)")
        precondition(line.hasPrefix(job.path) && !line.contains("\n"), "bad message: \(line)")
    }
}

/// Writes the input over one file of the job, runs `status()` and `check()` (every file read
/// and checked as `job run` and `job finish --raw` read them), and restores the file from
/// ``base`` (no copy is held in memory: LeakSanitizer counts a global's buffers at exit).
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 1 else { return 0 }
    let which = Int(data[0]) % replaceable.count
    let url = job.appendingPathComponent(replaceable[which])
    try! Data(bytes: data + 1, count: size - 1).write(to: url)
    defer {
        try! FileManager.default.removeItem(at: url)
        try! FileManager.default.copyItem(at: base.appendingPathComponent(replaceable[which]), to: url)
    }
    let folder = JobFolder(job)
    expectOneLine { _ = try folder.status() }
    expectOneLine { _ = try folder.check() }
    return 0
}

/// SwiftPM links an executable's `main` to `<Target>_main`: hand over to libFuzzer's driver.
@_cdecl("FuzzJobFolder_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    _ = job
    return diffdub_fuzz_main(argc, argv, { fuzzOne($0, $1) })
}
