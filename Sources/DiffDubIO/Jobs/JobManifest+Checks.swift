import DiffDubCore
import Foundation

extension JobManifest {
    /// Checks the manifest's numbers on their own (file `path`): `firstFrame` and `frameCount`
    /// at least 0 and together within ``JobLimits/maximumFrameCount``, `imageSize` within
    /// ``JobLimits/maximumImageSize``, `blockSize` at least 1, the request's options valid.
    ///
    /// - Throws: ``JobError/invalidField(path:field:reason:)`` naming the first bad field.
    func check(path: String) throws {
        func refuse(_ field: String, _ reason: String) -> JobError { .invalidField(path: path, field: field, reason: reason) }
        let maximum = JobLimits.maximumFrameCount
        guard firstFrame >= 0, firstFrame <= maximum else { throw refuse("firstFrame", "\(firstFrame), expected 0 to \(maximum)") }
        guard frameCount >= 0, frameCount <= maximum else { throw refuse("frameCount", "\(frameCount), expected 0 to \(maximum)") }
        guard frameCount <= maximum - firstFrame else {
            throw refuse("frameCount", "\(frameCount) frames from frame \(firstFrame) pass the limit of \(maximum) frames")
        }
        guard imageSize >= 1, imageSize <= JobLimits.maximumImageSize else {
            throw refuse("imageSize", "\(imageSize), expected 1 to \(JobLimits.maximumImageSize)")
        }
        guard blockSize >= 1, blockSize <= maximum else { throw refuse("blockSize", "\(blockSize), expected 1 to \(maximum)") }
        try JobPlanStore.Header.checkOptions(request.options, field: "request.options", path: path)
    }

    /// Checks that the manifest (file `path`) and the plan read from `planPath` describe the
    /// same job: first frame, frame count, image size and block size (the plan's batch size).
    ///
    /// - Throws: ``JobError/invalidField(path:field:reason:)`` naming the manifest's field.
    func check(agreesWith plan: DubbingPlan, path: String, planPath: String) throws {
        func disagree(_ field: String, _ value: Int, _ planHas: String) -> JobError {
            .invalidField(path: path, field: field, reason: "\(value), but \(planPath) has \(planHas)")
        }
        guard firstFrame == plan.firstFrame else { throw disagree("firstFrame", firstFrame, "firstFrame \(plan.firstFrame)") }
        guard frameCount == plan.frames.count else { throw disagree("frameCount", frameCount, "\(plan.frames.count) frames") }
        guard imageSize == plan.imageSize else { throw disagree("imageSize", imageSize, "imageSize \(plan.imageSize)") }
        guard blockSize == plan.options.batchSize else {
            throw disagree("blockSize", blockSize, "options.batchSize \(plan.options.batchSize)")
        }
    }
}
