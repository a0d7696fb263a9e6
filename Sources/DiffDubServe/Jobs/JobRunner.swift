import DiffDubCore
import DiffDubIO
import Foundation
import Synchronization

/// Runs one job through its job folder, as `diffdub job prepare`, `job run` and `job finish`
/// do, with the server's one session: with `speaker` `auto`, the speaking faces chosen first
/// (``SpeakerSearch``, kept in `job.json`); prepare (skipped when the folder is prepared already),
/// render (skipping the frames already written, so an interrupted job resumes), finish into
/// `output.mp4` (renamed into place when complete). Every phase is written to `job.json`
/// before it starts; progress reports update the board, and the job's stop switch answers
/// them with ``ProgressAction/stop``.
struct JobRunner: Sendable {
    let board: JobBoard
    let session: DubbingSession
    let models: ServeModels
    let configuration: ServeConfiguration

    var data: ServeDataFolder { board.data }

    /// Runs `record`'s job until it is done, fails or is stopped.
    func run(_ record: JobRecord, control: JobControl) async {
        let id = record.id
        defer {
            board.finishedRunning(id)
            if control.stopReason == .delete { data.remove(id) }
        }
        do {
            try await runPhases(record, control: control)
            board.update(id) { record in
                record.status = .done
                record.progress = JobProgress(
                    stage: "done", completed: record.progress.total, total: record.progress.total, step: nil, steps: nil,
                    etaSeconds: 0)
            }
        } catch {
            switch control.stopReason {
            case .delete: break
            case .cancel:
                board.update(id) { record in
                    record.status = .cancelled
                    record.progress.etaSeconds = nil
                }
            case .shutdown:
                board.update(id) { record in
                    record.status = .queued
                    record.progress = .none
                }
            case nil:
                board.update(id) { record in
                    record.status = .failed
                    record.error = oneLineMessage(error)
                    record.progress.etaSeconds = nil
                }
            }
        }
    }

    private func runPhases(_ record: JobRecord, control: JobControl) async throws {
        var record = record
        let id = record.id
        let folder = data.jobFolder(id)
        if record.options.speaker == .automatic, record.speakers == nil {
            board.update(id) { record in
                record.status = .preparing
                record.progress = .none
            }
            let shots = try chooseSpeakers(record)
            record.speakers = shots
            board.update(id) { $0.speakers = shots }
        }
        let request = data.request(for: record, models: models, compute: configuration.compute)
        let board = self.board
        let baselines = StageBaselines()
        let progress: ProgressHandler = { report in
            if control.stopReason != nil { return .stop }
            let baseline = baselines.baseline(of: report)
            board.update(id, persist: false) { $0.progress = JobProgress(report, baseline: baseline) }
            return .proceed
        }
        if !folder.isPrepared {
            board.update(id) { record in
                record.status = .preparing
                record.progress = .none
            }
            // A prepare killed midway leaves a folder without a manifest: start it again.
            try? FileManager.default.removeItem(at: folder.url)
            _ = try await folder.prepare(
                request, session: session, toolVersion: configuration.toolVersion, progress: progress)
        }
        if !FileManager.default.fileExists(atPath: data.previewURL(id).path) {
            try? FacePreview.write(job: folder, request: request, to: data.previewURL(id))
        }
        let manifest = try folder.manifest()
        let alreadyRendered = folder.status(of: manifest).done
        board.update(id) { record in
            record.status = .rendering
            if record.renderStarted { record.resumedFrames = alreadyRendered }
            record.renderStarted = true
            record.progress = JobProgress(
                stage: ProgressStage.rendering.rawValue, completed: alreadyRendered, total: manifest.frameCount, step: nil,
                steps: nil, etaSeconds: nil)
        }
        _ = try await folder.render(shard: .all, session: session, compute: configuration.compute, progress: progress)
        if control.stopReason != nil { throw CancellationError() }
        board.update(id) { $0.status = .finishing }
        let output = data.outputURL(id)
        if !FileManager.default.fileExists(atPath: output.path) {
            _ = try await folder.finish(output: .video(output), overwrite: true, progress: progress)
        }
    }

    /// `speaker` `auto`: the speaking face of each shot of the job's video, as `dub --speaker
    /// auto` chooses it (``SpeakerSearch``), a shot each.
    private func chooseSpeakers(_ record: JobRecord) throws -> [SpeakerShot] {
        guard let syncnetModel = models.syncnetModel else {
            throw ServeError.badRequest("speaker auto: this server has no SyncNet model (--syncnet-model)")
        }
        let video = data.inputsURL(record.id).appendingPathComponent(ServeDataFolder.inputName(field: "video"))
        let choice = try SpeakerSearch.choose(
            video: video, syncNetModel: syncnetModel, detector: models.detector, compute: configuration.compute)
        return SpeakerShot.shots(of: choice)
    }

    /// The first line of `error`'s description, with the data folder's path taken out.
    func oneLineMessage(_ error: any Error) -> String { Self.oneLine(error, hiding: data.url.path) }

    /// The first line of `error`'s description (`hiding` a path prefix from it).
    static func oneLine(_ error: any Error, hiding path: String? = nil) -> String {
        var text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
        if let path { text = text.replacingOccurrences(of: path + "/", with: "") }
        return String(text.split(separator: "\n", omittingEmptySubsequences: true).first ?? "failed")
    }
}

/// The units each stage had done at its first report (a resumed render starts past its
/// written frames), for the estimate of the time left.
final class StageBaselines: Sendable {
    private let first = Mutex<[ProgressStage: Int]>([:])

    /// The `completed` of the first report of `report`'s stage.
    func baseline(of report: ProgressReport) -> Int {
        first.withLock { first in
            if let known = first[report.stage] { return known }
            first[report.stage] = report.completed
            return report.completed
        }
    }
}
