import DiffDubCore
import Foundation

extension JobFolder {
    /// The plan of the job, read as untrusted input (``JobPlanStore/read()``) and checked
    /// against `manifest` (`JobManifest.check(agreesWith:path:planPath:)`); `plan/` and
    /// `frames/` must be folders, not links.
    ///
    /// - Throws: ``JobError`` naming the file and the field.
    package func readPlan(checkedAgainst manifest: JobManifest) throws -> DubbingPlan {
        try JobFile.checkFolder(framesURL)
        let store = JobPlanStore(planURL, limits: limits)
        let plan = try store.read()
        try manifest.check(agreesWith: plan, path: manifestURL.path, planPath: store.headerURL.path)
        return plan
    }

    /// `DONE/TOTAL` and the missing ranges, after checking the manifest (`manifest()`) and
    /// that its frame count is the number of rows of `plan/lip_latents.npy` (only the array's
    /// header is read, so this stays cheap for a job of any length).
    ///
    /// - Throws: `JobError` naming the file and the field.
    public func status() throws -> JobStatus {
        let manifest = try manifest()
        try JobFile.checkFolder(planURL)
        try JobFile.checkFolder(framesURL)
        let lip = planURL.appendingPathComponent("lip_latents.npy")
        let bytes = try JobFile.prefix(lip, count: 12 + limits.maximumNumPyHeaderLength)
        let shape: [Int]
        do {
            shape = try NumPyFile.header(of: bytes, path: lip.path, limits: limits).0.shape
        } catch let error as NumPyError {
            throw JobError.damaged(path: lip.path, reason: String(error.description.dropFirst(lip.path.count + 2)))
        }
        guard shape.count == 2 else {
            throw JobError.invalidField(path: lip.path, field: "shape", reason: "\(shape), expected [frames, style]")
        }
        guard shape[0] == manifest.frameCount else {
            throw JobError.invalidField(
                path: manifestURL.path, field: "frameCount", reason: "\(manifest.frameCount), but \(lip.path) has \(shape[0]) rows")
        }
        return status(of: manifest)
    }

    /// Reads and checks every file of the job as `job run` and `job finish --raw` read them
    /// (the manifest, the plan and its arrays, every face of `plan/faces/` and every rendered
    /// frame of `frames/`), without the models or the inputs; returns the status.
    ///
    /// - Throws: `JobError` naming the first file that is wrong and the field.
    public func check() throws -> JobStatus {
        let manifest = try manifest()
        let plan = try readPlan(checkedAgainst: manifest)
        let store = JobPlanStore(planURL, limits: limits)
        let landmarks = try store.readFaceLandmarks(frameCount: plan.frames.count)
        let status = status(of: manifest)
        let rendered = renderedFrames()
        for index in plan.outputFrames {
            if plan.frame(index).landmarks != nil { _ = try store.face(index, of: plan, landmarks: landmarks) }
            if rendered.contains(index) { _ = try readFrame(index, size: plan.imageSize) }
        }
        return status
    }
}
