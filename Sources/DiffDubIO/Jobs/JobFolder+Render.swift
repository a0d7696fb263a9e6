import DiffDubCore
import Foundation

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
    ///   - progress: one report per denoising step.
    /// - Throws: ``JobError`` (not a job, a changed checkpoint, a damaged plan), the models'
    ///   errors, `CancellationError`.
    public func render(shard: JobShard, compute: ComputeSettings = ComputeSettings(), progress: ProgressHandler? = nil)
        async throws -> JobRunSummary
    {
        try await runOnOwnThread { check in
            try renderSynchronously(shard: shard, compute: compute, progress: progress, checkCancellation: check)
        }
    }

    /// ``render(shard:compute:progress:)`` on the calling thread.
    package func renderSynchronously(
        shard: JobShard, compute: ComputeSettings = ComputeSettings(), progress: ProgressHandler? = nil,
        checkCancellation: @escaping () throws -> Void = {}
    ) throws -> JobRunSummary {
        let manifest = try manifest()
        for model in manifest.models { try model.verify() }
        let store = JobPlanStore(planURL)
        let plan = try store.read()
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
