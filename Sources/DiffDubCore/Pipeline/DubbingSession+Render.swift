extension DubbingSession {
    /// Renders `plan`'s output frames (all of them, or the frames of `blocks`) from `frames`
    /// into `sink`, in order: the one render loop of every dub, job shard and app.
    ///
    /// The frames are rendered in `DubbingPlan.batches(in:)` (a batch never crosses a
    /// multiple of the batch size), so any set of whole blocks gives the same frames as the
    /// whole clip, bit for bit. A batch whose frames the sink holds already
    /// (``FrameSink/holdsFrame(_:)``) is skipped, and only the missing frames of a batch are
    /// written.
    ///
    /// The loop owns the sink's ending: ``FrameSink/finish()`` after the last frame,
    /// ``FrameSink/discard()`` when it fails, is cancelled, or `progress` answers
    /// ``ProgressAction/stop`` (then it throws `CancellationError`).
    ///
    /// - Parameters:
    ///   - plan: the plan ``prepare(_:options:compute:progress:)`` made (or one read back).
    ///   - frames: the clip's frames in input order, or the plan's faces already cropped.
    ///   - sink: where the output frames go, numbered by output frame.
    ///   - blocks: ranges of output frame numbers (in ``DubbingPlan/outputFrames``, increasing);
    ///     `nil` for every frame.
    ///   - compute: threads and memory of the run (nothing in it changes the frames).
    ///   - progress: one report per denoising step and per frame.
    public func render(
        _ plan: DubbingPlan, from frames: PlanFrames, into sink: any FrameSink, blocks: [Range<Int>]? = nil,
        compute: ComputeSettings = ComputeSettings(), progress: ProgressHandler? = nil
    ) async throws -> RenderSummary {
        try await runOnOwnThread { check in
            try renderSynchronously(
                plan, from: frames, into: sink, blocks: blocks, compute: compute, progress: progress, checkCancellation: check)
        }
    }

    /// ``render(_:from:into:blocks:compute:progress:)`` on the calling thread; what
    /// `checkCancellation` throws ends it.
    package func renderSynchronously(
        _ plan: DubbingPlan, from frames: PlanFrames, into sink: any FrameSink, blocks: [Range<Int>]? = nil,
        compute: ComputeSettings = ComputeSettings(), progress: ProgressHandler? = nil,
        checkCancellation: @escaping () throws -> Void = {}
    ) throws -> RenderSummary {
        do {
            let summary = try compute.run {
                try renderLoop(plan, from: frames, into: sink, blocks: blocks ?? [plan.outputFrames], progress: progress,
                    checkCancellation: checkCancellation)
            }
            try sink.finish()
            return summary
        } catch {
            sink.discard()
            throw error
        }
    }

    private func renderLoop(
        _ plan: DubbingPlan, from frames: PlanFrames, into sink: any FrameSink, blocks: [Range<Int>],
        progress: ProgressHandler?, checkCancellation: @escaping () throws -> Void
    ) throws -> RenderSummary {
        let outputs = blocks.flatMap { $0 }
        if let bad = outputs.first(where: { !plan.outputFrames.contains($0) }) {
            throw DubbingError.invalidOption(
                name: "blocks", value: "\(bad)", reason: "outside the plan's frames \(plan.outputFrames)")
        }
        let reader: PlannedFrameReader?
        switch frames {
        case .clip(let source): reader = try PlannedFrameReader(source: source, sources: outputs.map { plan.frame($0).source })
        case .faces: reader = nil
        }
        let tracker = try ProgressTracker(stage: .rendering, total: outputs.count, handler: progress)
        var summary = RenderSummary(rendered: 0, skipped: 0)
        var done = 0
        var batch: [(index: Int, input: RGBImage?)] = []
        func flush() throws {
            guard !batch.isEmpty else { return }
            defer { batch.removeAll(keepingCapacity: true) }
            let missing = batch.filter { !sink.holdsFrame($0.index) }
            guard !missing.isEmpty else {
                summary.skipped += batch.count
                done += batch.count
                try tracker.report(completed: done)
                return
            }
            try checkCancellation()
            let faces = try batch.map { item in try face(of: item.index, input: item.input, plan: plan, frames: frames) }
            let rendered = try dubber.render(plan, frames: batch.map(\.index), faces: faces) { step, steps in
                try checkCancellation()
                try tracker.report(completed: done, step: step, stepCount: steps)
            }
            for (item, image) in zip(batch, rendered) where !sink.holdsFrame(item.index) {
                let output = try item.input.map { try plan.output(ofFrame: item.index, rendered: image, input: $0) } ?? image
                try sink.write(output, index: item.index)
                summary.rendered += 1
            }
            summary.skipped += batch.count - missing.count
            done += batch.count
            try tracker.report(completed: done)
        }
        // A batch is rendered once its last frame is read.
        let lastOfBatch = Set(blocks.flatMap { plan.batches(in: $0).compactMap(\.last) })
        for index in outputs {
            let input = try reader?.next()
            guard plan.frame(index).landmarks != nil else {
                // No face: the frame passes through unchanged, in order (stored ahead for faces).
                try flush()
                if let input, !sink.holdsFrame(index) {
                    try sink.write(try plan.output(ofFrame: index, rendered: nil, input: input), index: index)
                    summary.rendered += 1
                } else {
                    summary.skipped += 1
                }
                done += 1
                try tracker.report(completed: done)
                continue
            }
            batch.append((index, input))
            if lastOfBatch.contains(index) { try flush() }
        }
        try flush()
        return summary
    }

    /// The model-resolution face of output frame `index`: cut from its input frame, or read
    /// from the stored faces.
    private func face(of index: Int, input: RGBImage?, plan: DubbingPlan, frames: PlanFrames) throws -> FaceFrame {
        switch frames {
        case .clip:
            guard let input, let face = try plan.face(ofFrame: index, input: input) else {
                throw DubbingError.missingLandmarks(frame: plan.frame(index).source, landmarks: 0)
            }
            return face
        case .faces(let store):
            return try store.face(ofFrame: index, in: plan)
        }
    }
}
