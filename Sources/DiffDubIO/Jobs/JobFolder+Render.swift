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
    /// The shard's batch blocks (``JobShard``) go through the one render loop
    /// (`DubbingSession.render(_:from:into:blocks:compute:progress:)`) with the stored plan and
    /// faces, so every frame is bit-identical to `dub --raw`'s with the same options (the
    /// plan's: precision included). A block whose frames all exist is skipped; otherwise its
    /// missing frames are written, each to a temporary name and renamed. The checkpoints are
    /// checked against the manifest's SHA-256 first; neither the inputs nor the face models are
    /// read.
    ///
    /// - Parameters:
    ///   - shard: which blocks of the plan this run renders (`K/N`, blocks round robin).
    ///   - session: models already loaded (a server rendering many jobs); `nil` loads the
    ///     manifest's checkpoints (checked against their SHA-256). A given session is trusted to
    ///     hold the job's models.
    ///   - compute: threads and memory of this process (nothing in them changes the frames).
    ///   - checkpoints: where this machine has the stage-1 and stage-2 checkpoints, when not at
    ///     the paths prepare recorded (each is still checked against the recorded SHA-256).
    ///   - progress: one report per denoising step; `ProgressAction.stop` stops the shard
    ///     (the frames written stay: a later run continues).
    /// - Throws: `JobError` (not a job, a changed checkpoint, a damaged plan), the models'
    ///   errors, `CancellationError`.
    public func render(
        shard: JobShard, session: DubbingSession? = nil, compute: ComputeSettings = ComputeSettings(),
        checkpoints: JobCheckpoints = JobCheckpoints(), progress: ProgressHandler? = nil
    ) async throws -> JobRunSummary {
        try await runOnOwnThread { check in
            try renderSynchronously(
                shard: shard, session: session, compute: compute, checkpoints: checkpoints, progress: progress,
                checkCancellation: check)
        }
    }

    /// ``render(shard:session:compute:checkpoints:progress:)`` on the calling thread.
    package func renderSynchronously(
        shard: JobShard, session: DubbingSession? = nil, compute: ComputeSettings = ComputeSettings(),
        checkpoints: JobCheckpoints = JobCheckpoints(), progress: ProgressHandler? = nil,
        checkCancellation: @escaping () throws -> Void = {}
    ) throws -> JobRunSummary {
        var manifest = try manifest()
        checkpoints.apply(to: &manifest)
        if session == nil { for model in manifest.models { try model.verify() } }
        let store = JobPlanStore(planURL, limits: limits)
        let plan = try readPlan(checkedAgainst: manifest)
        let faces = StoredFaces(store: store, landmarks: try store.readFaceLandmarks(frameCount: plan.frames.count))
        removeStalePartials()
        let blocks = shard.blocks(of: plan.outputFrames, blockSize: plan.options.batchSize)
        let sink = RenderedFramesSink(folder: self)
        guard blocks.contains(where: { $0.contains { !sink.holdsFrame($0) } }) else {
            return JobRunSummary(shard: shard, rendered: 0, skipped: blocks.reduce(0) { $0 + $1.count })
        }
        let models = try session ?? manifest.request.makeSession(rendererOnly: true, progress: progress)
        let summary = try models.renderSynchronously(
            plan, from: .faces(faces), into: sink, blocks: blocks, compute: compute, progress: progress,
            checkCancellation: checkCancellation)
        return JobRunSummary(shard: shard, rendered: summary.rendered, skipped: summary.skipped)
    }
}

/// A job's stored faces (`plan/faces/`), for the render loop.
struct StoredFaces: PlannedFaceSource {
    let store: JobPlanStore
    /// `[frames, 68, 2]`, ``JobPlanStore/readFaceLandmarks(frameCount:)``.
    let landmarks: Tensor

    func face(ofFrame index: Int, in plan: DubbingPlan) throws -> FaceFrame {
        try store.face(index, of: plan, landmarks: landmarks)
    }
}

/// A job's `frames/` folder as the render loop's sink: frames already there are held (a
/// resumed shard skips them), each new frame is written to a temporary name and renamed, and
/// nothing is removed on failure (every frame written is complete).
final class RenderedFramesSink: FrameSink {
    let folder: JobFolder

    init(folder: JobFolder) { self.folder = folder }

    func write(_ frame: RGBImage, index: Int) throws { try folder.writeFrame(frame, index: index) }

    func holdsFrame(_ index: Int) -> Bool { FileManager.default.fileExists(atPath: folder.frameURL(index).path) }
}
