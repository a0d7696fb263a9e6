import DiffDubCore
import Foundation

/// Where a render machine has the checkpoints, when not at the paths `prepare` recorded (a
/// container image, another mount point). `nil`: the recorded path.
public struct JobCheckpoints: Sendable, Hashable {
    /// The stage-1 checkpoint.
    public var stage1: URL?
    /// The stage-2 checkpoint.
    public var stage2: URL?

    /// Checkpoints at the given paths (`nil`: as recorded).
    public init(stage1: URL? = nil, stage2: URL? = nil) {
        self.stage1 = stage1
        self.stage2 = stage2
    }

    /// `manifest` with the request's checkpoint paths, and the paths their fingerprints are
    /// checked at, replaced.
    func apply(to manifest: inout JobManifest) {
        guard case .files(let recorded1, let recorded2, let imageSize) = manifest.request.models else { return }
        let (path1, path2) = (stage1 ?? recorded1, stage2 ?? recorded2)
        manifest.request.models = .files(stage1: path1, stage2: path2, imageSize: imageSize)
        for i in manifest.models.indices {
            switch manifest.models[i].role {
            case JobFolder.Role.stage1: manifest.models[i].path = path1.path
            case JobFolder.Role.stage2: manifest.models[i].path = path2.path
            default: break
            }
        }
    }
}

/// What one `run` of a shard did.
public struct JobRunSummary: Sendable, Equatable {
    /// The shard.
    public var shard: JobShard
    /// Frames this run rendered.
    public var rendered: Int
    /// Frames of the shard that were already there (rendered before, by another copy, or
    /// without a face).
    public var skipped: Int
}

extension JobFolder {
    /// Renders `shard`'s frames of the prepared job into `frames/`, skipping those already there.
    ///
    /// The shard's batch blocks (``JobShard``) are rendered exactly as a one-process dub
    /// renders them (same batches, same plan), so every frame is bit-identical to `dub --raw`'s.
    /// A block whose frames all exist is skipped; otherwise the block is rendered and its
    /// missing frames written, each to a temporary name and renamed. The checkpoints are checked
    /// against the manifest's SHA-256 first; neither the inputs nor the face models are read.
    ///
    /// - Parameters:
    ///   - compute: threads and memory of this process.
    ///   - checkpoints: where this machine has the stage-1 and stage-2 checkpoints, when not at
    ///     the paths prepare recorded (each is still checked against the recorded SHA-256).
    ///   - progress: one report per denoising step.
    /// - Throws: ``JobError`` (not a job, a changed checkpoint, a damaged plan), the models'
    ///   errors, `CancellationError`.
    public func render(
        shard: JobShard, compute: ComputeSettings = ComputeSettings(), checkpoints: JobCheckpoints = JobCheckpoints(),
        progress: ProgressHandler? = nil
    ) async throws -> JobRunSummary {
        try await runOnOwnThread { check in
            try renderSynchronously(
                shard: shard, compute: compute, checkpoints: checkpoints, progress: progress, checkCancellation: check)
        }
    }

    /// ``render(shard:compute:progress:)`` on the calling thread.
    package func renderSynchronously(
        shard: JobShard, compute: ComputeSettings = ComputeSettings(), checkpoints: JobCheckpoints = JobCheckpoints(),
        progress: ProgressHandler? = nil, checkCancellation: @escaping () throws -> Void = {}
    ) throws -> JobRunSummary {
        var manifest = try manifest()
        checkpoints.apply(to: &manifest)
        for model in manifest.models { try model.verify() }
        let store = JobPlanStore(planURL)
        let plan = try readPlan(checkedAgainst: manifest)
        let faceLandmarks = try store.readFaceLandmarks(frameCount: plan.frames.count)
        removeStalePartials()
        let blocks = shard.blocks(of: plan.outputFrames, blockSize: plan.options.batchSize)
        let total = blocks.reduce(0) { $0 + $1.count }
        let exists = { (index: Int) in FileManager.default.fileExists(atPath: frameURL(index).path) }
        var summary = JobRunSummary(shard: shard, rendered: 0, skipped: 0)
        guard blocks.contains(where: { $0.contains { !exists($0) } }) else {
            summary.skipped = total
            return summary
        }
        return try compute.run {
            let loading = ProgressTracker(stage: .loadingModels, total: 1, handler: progress)
            let dubber = try manifest.request.loadModels()
            loading.report(completed: 1)
            let tracker = ProgressTracker(stage: .rendering, total: total, handler: progress)
            var done = 0
            for block in blocks {
                // The batches a whole dub renders (DubbingPlan.batches): blocks are whole
                // multiples of the batch size, so no batch crosses a block.
                for batch in plan.batches(in: block) {
                    let missing = batch.filter { !exists($0) }
                    guard !missing.isEmpty else { continue }
                    try checkCancellation()
                    let faces = try batch.map { try store.face($0, of: plan, landmarks: faceLandmarks) }
                    let outputs = try dubber.render(plan, frames: batch, faces: faces) { step, steps in
                        try checkCancellation()
                        tracker.report(completed: done, step: step, stepCount: steps)
                    }
                    for (index, image) in zip(batch, outputs) where missing.contains(index) {
                        try writeFrame(image, index: index)
                        summary.rendered += 1
                    }
                }
                done += block.count
                tracker.report(completed: done)
            }
            summary.skipped = total - summary.rendered
            return summary
        }
    }
}
