import DiffDubCore
import Foundation

extension JobFolder {
    /// Does all of `request`'s per-clip work once and writes the job folder: reads and checks
    /// the inputs, detects faces (``DubbingRequest/Landmarks/detect(_:)``), computes the Hubert
    /// features, the reference and lip latents (`Dubber.plan(frames:landmarks:hubert:noise:options:progress:checkCancellation:)`),
    /// stores the plan and every output frame's model-resolution face (`JobPlanStore`), and
    /// writes `manifest.json` last, with every input and both checkpoints fingerprinted.
    ///
    /// The request's output and `DubbingOptions.raw` are not used: the job renders
    /// model-resolution frames, and ``finish(output:raw:audio:overwrite:progress:)`` chooses the output.
    /// Frames without a face get their (unchanged) frame at once.
    ///
    /// `session`: models already loaded (a server preparing many jobs) used in place of loading
    /// the request's checkpoints and face and speech models; the manifest still records (and
    /// fingerprints) the request's files, so the session must hold the models they name.
    ///
    /// - Returns: the manifest written.
    /// - Throws: `JobError.alreadyPrepared(path:)` when the folder holds a job or anything
    ///   else; ``DubbingRequestError/notEncodable(part:)`` for a request holding parts in memory;
    ///   the request's errors; `CancellationError`. A failed or cancelled prepare removes what it
    ///   wrote.
    public func prepare(
        _ request: DubbingRequest, session: DubbingSession? = nil, toolVersion: String, progress: ProgressHandler? = nil
    ) async throws -> JobManifest {
        try await runOnOwnThread { check in
            try prepareSynchronously(
                request, session: session, toolVersion: toolVersion, progress: progress, checkCancellation: check)
        }
    }

    /// ``prepare(_:toolVersion:progress:)`` on the calling thread.
    package func prepareSynchronously(
        _ request: DubbingRequest, session given: DubbingSession? = nil, toolVersion: String, progress: ProgressHandler? = nil,
        checkCancellation: @escaping () throws -> Void = {}
    ) throws -> JobManifest {
        let manager = FileManager.default
        if isPrepared { throw JobError.alreadyPrepared(path: url.path) }
        let existing = (try? manager.contentsOfDirectory(atPath: url.path)) ?? []
        if !existing.isEmpty { throw JobError.alreadyPrepared(path: url.path) }
        var stored = request
        stored.options.raw = true
        stored.output = .frameFolder(framesURL)
        _ = try JSONEncoder().encode(stored)  // refuses parts held in memory before any work
        try stored.options.validate()
        try stored.checkFilesExist()
        let (models, fingerprinted) = try Self.fingerprints(of: stored)

        let createdFolder = !manager.fileExists(atPath: url.path)
        do {
            var working = stored
            if let given { working.models = .session(given) }
            let session = try working.makeSession(progress: progress)
            try checkCancellation()
            let inputs = try working.makeInputs(for: session)
            let plan = try session.prepareSynchronously(
                inputs, options: stored.options, compute: stored.compute, progress: progress,
                checkCancellation: checkCancellation)
            try checkCancellation()
            try manager.createDirectory(at: framesURL, withIntermediateDirectories: true)
            let store = JobPlanStore(planURL, limits: limits)
            try store.write(plan)
            try writeFaces(
                of: plan, from: inputs.frames, store: store, progress: progress, checkCancellation: checkCancellation)
            let manifest = JobManifest(
                toolVersion: toolVersion, request: stored, models: models, inputs: fingerprinted, firstFrame: plan.firstFrame,
                frameCount: plan.frames.count, imageSize: plan.imageSize, blockSize: plan.options.batchSize)
            try write(manifest)
            return manifest
        } catch {
            if createdFolder {
                try? manager.removeItem(at: url)
            } else {
                for name in (try? manager.contentsOfDirectory(atPath: url.path)) ?? [] {
                    try? manager.removeItem(at: url.appendingPathComponent(name))
                }
            }
            throw error
        }
    }

    /// Reads the input frames of `plan` in order and stores each output frame's
    /// model-resolution face; a frame without a face gets its finished (raw) frame in `frames/`.
    private func writeFaces(
        of plan: DubbingPlan, from source: any FrameSource, store: JobPlanStore, progress: ProgressHandler?,
        checkCancellation: () throws -> Void
    ) throws {
        let reader = try PlannedFrameReader(source: source, sources: plan.frames.map(\.source))
        let tracker = try ProgressTracker(stage: .writing, total: plan.frames.count, handler: progress)
        var landmarks: [FaceLandmarks?] = []
        landmarks.reserveCapacity(plan.frames.count)
        for (done, index) in plan.outputFrames.enumerated() {
            try checkCancellation()
            let input = try reader.next()
            if let face = try plan.face(ofFrame: index, input: input) {
                try store.writeFace(face, index: index)
                landmarks.append(face.landmarks)
            } else {
                try writeFrame(try plan.output(ofFrame: index, rendered: nil, input: input), index: index)
                landmarks.append(nil)
            }
            try tracker.report(completed: done + 1)
        }
        try store.writeFaceLandmarks(landmarks)
    }

    /// The fingerprints of the request's checkpoints and of its other inputs
    /// (``DubbingRequest/inputFiles()``).
    static func fingerprints(of request: DubbingRequest) throws -> (models: [JobInput], inputs: [JobInput]) {
        var models: [JobInput] = []
        var inputs: [JobInput] = []
        for (role, url) in try request.inputFiles() {
            let input = try JobInput(role: role, url: url)
            if role == Role.stage1 || role == Role.stage2 { models.append(input) } else { inputs.append(input) }
        }
        return (models, inputs)
    }

    /// Roles of the checkpoints, and of the inputs `finish` reads.
    typealias Role = DubbingRequest.InputRole
}
