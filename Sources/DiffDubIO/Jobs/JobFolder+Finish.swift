import DiffDubCore
import Foundation

extension JobFolder {
    /// Pastes the rendered frames back into the input frames and writes `output`, streaming;
    /// the output is byte-identical to the one `diffdub dub` writes with the same inputs and
    /// options (``DubbingRequest/run(progress:)`` goes through the same plan functions).
    ///
    /// Before writing anything it checks that every frame is rendered and that the inputs it
    /// reads are unchanged since prepare: the input frames (unless `raw`: the video, the image,
    /// or every file of a frame folder) and the prepared audio (unless `audio` replaces it).
    ///
    /// - Parameters:
    ///   - output: a video (muxed with the audio) or a frame folder; it appears only complete.
    ///   - raw: write the model-resolution frames (no paste-back).
    ///   - audio: the audio to mux into a video (default: the request's).
    ///   - overwrite: whether `output` may replace an existing file or an earlier output
    ///     folder; it never replaces the job, anything in it, a folder holding it, or an input
    ///     (`checkFinishOutput(_:request:audio:overwrite:)`, checked first).
    ///   - progress: reports of the writing, one per frame.
    /// - Returns: the summary of the dub (frames, warnings).
    /// - Throws: `OutputRefusal` naming the output, `JobError.incomplete(done:total:missing:)`
    ///   listing missing frames, `JobError.changedFile(role:path:reason:)` naming the changed file, the readers' and
    ///   writers' errors, `CancellationError` (the partial output is removed).
    public func finish(
        output: DubbingRequest.Output, raw: Bool = false, audio: URL? = nil, overwrite: Bool = false,
        progress: ProgressHandler? = nil
    ) async throws -> DubbingSummary {
        try await runOnOwnThread { check in
            try finishSynchronously(
                output: output, raw: raw, audio: audio, overwrite: overwrite, progress: progress, checkCancellation: check)
        }
    }

    /// ``finish(output:raw:audio:overwrite:progress:)`` on the calling thread.
    package func finishSynchronously(
        output: DubbingRequest.Output, raw: Bool = false, audio: URL? = nil, overwrite: Bool = false,
        progress: ProgressHandler? = nil, checkCancellation: @escaping () throws -> Void = {}
    ) throws -> DubbingSummary {
        let manifest = try manifest()
        try checkFinishOutput(output, request: manifest.request, audio: audio, overwrite: overwrite)
        var plan = try readPlan(checkedAgainst: manifest)
        let status = status(of: manifest)
        guard status.isComplete else { throw JobError.incomplete(done: status.done, total: status.total, missing: status.missing) }
        plan.options.raw = raw
        var request = manifest.request
        request.output = output
        request.overwrite = overwrite
        if let audio {
            request.audio = audio
        } else if request.audio != nil, case .video = output {
            try manifest.input(role: Role.audio)?.verify()
        }
        if !raw {
            for role in [Role.video, Role.frameFolder, Role.image] { try manifest.input(role: role)?.verify() }
        }
        let source: (any FrameSource)? = raw ? nil : try request.openFrames().0
        try FrameOutput.writing(to: try request.makeSink(rate: plan.frameRate)) { sink in
            let reader = try source.map { try PlannedFrameReader(source: $0, sources: plan.frames.map(\.source)) }
            let tracker = try ProgressTracker(stage: .writing, total: plan.frames.count, handler: progress)
            for (done, index) in plan.outputFrames.enumerated() {
                try checkCancellation()
                if let reader {
                    let input = try reader.next()
                    let rendered = plan.frame(index).landmarks == nil ? nil : try readFrame(index, size: plan.imageSize)
                    try sink.write(try plan.output(ofFrame: index, rendered: rendered, input: input), index: index)
                } else {
                    try sink.write(try readFrame(index, size: plan.imageSize), index: index)
                }
                try tracker.report(completed: done + 1)
            }
        }
        return DubbingSummary(plan: plan)
    }
}
