import DiffDubCore
import DiffDubIO
import Foundation
import Hummingbird

/// The routes under `/api` and `/openapi.json` (Docs/SERVE.md and ``OpenAPIDocument``).
struct APIRoutes: Sendable {
    let board: JobBoard
    let session: DubbingSession
    let models: ServeModels
    let configuration: ServeConfiguration

    var data: ServeDataFolder { board.data }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/openapi.json") { _, _ in
            JSONResponse.make(data: Data(OpenAPIDocument.json.utf8), status: .ok)
        }
        router.get("/api/health") { _, _ in try JSONResponse.make(["status": "ok"]) }
        router.post("/api/jobs") { request, _ in try await create(request) }
        router.get("/api/jobs") { _, _ in try JSONResponse.make(JobList(jobs: board.records())) }
        router.get("/api/jobs/{id}") { _, context in try JSONResponse.make(try findRecord(context)) }
        router.delete("/api/jobs/{id}") { _, context in
            try board.delete(try jobID(context))
            return Response(status: .noContent)
        }
        router.post("/api/jobs/{id}/cancel") { _, context in
            let id = try jobID(context)
            _ = try board.cancel(id)
            return try JSONResponse.make(try findRecord(id), status: .accepted)
        }
        router.get("/api/jobs/{id}/events") { _, context in EventStream.response(id: try findRecord(context).id, board: board) }
        router.get("/api/jobs/{id}/preview.png") { _, context in
            let record = try findRecord(context)
            let url = data.previewURL(record.id)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw ServeError.conflict("job \(record.id) has no preview yet: it appears once the job is prepared")
            }
            return try await file(url, type: "image/png", context: context)
        }
        router.get("/api/jobs/{id}/frame.png") { _, context in
            let record = try findRecord(context)
            let folder = data.jobFolder(record.id)
            guard folder.isPrepared, let last = folder.renderedFrames().max() else {
                throw ServeError.conflict("job \(record.id) has no rendered frame yet")
            }
            return try await file(folder.frameURL(last), type: "image/png", context: context)
        }
        router.get("/api/jobs/{id}/output") { _, context in
            let record = try findRecord(context)
            let url = data.outputURL(record.id)
            guard record.status == .done, FileManager.default.fileExists(atPath: url.path) else {
                throw ServeError.conflict("job \(record.id) is \(record.status.rawValue): its output exists once it is done")
            }
            var response = try await file(url, type: "video/mp4", context: context)
            response.headers[.contentDisposition] = "attachment; filename=\"dub-\(record.id).mp4\""
            return response
        }
    }

    /// The job list of `GET /api/jobs`.
    struct JobList: Encodable {
        var jobs: [JobRecord]
    }

    /// The id of the path, which must be one of a job.
    private func jobID(_ context: BasicRequestContext) throws -> JobID {
        let text = context.parameters.get("id") ?? ""
        guard let id = JobID(text), board.record(id) != nil else { throw ServeError.noJob(JobOptions.quote(text)) }
        return id
    }

    private func findRecord(_ context: BasicRequestContext) throws -> JobRecord { try findRecord(try jobID(context)) }

    private func findRecord(_ id: JobID) throws -> JobRecord {
        guard let record = board.record(id) else { throw ServeError.noJob(id.text) }
        return record
    }

    /// A file of the data folder as the body (read in chunks).
    private func file(_ url: URL, type: String, context: BasicRequestContext) async throws -> Response {
        let body = try await FileIO().loadFile(path: url.path, context: context)
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: body)
    }

    /// `POST /api/jobs`: bounds first (queue, disk), then the upload into a folder of its own,
    /// the checks, and only then the job (its folder renamed into place, `job.json` written).
    private func create(_ request: Request) async throws -> Response {
        guard board.queuedCount < configuration.maxQueuedJobs else {
            throw ServeError(.tooManyRequests, "\(configuration.maxQueuedJobs) jobs are queued already (--max-queued-jobs): try again later")
        }
        let used = data.diskUse()
        guard used < configuration.maxDiskBytes else {
            throw ServeError(ServeError.insufficientStorage, "the data folder holds \(used >> 20) MB, the limit of --max-disk-gb: delete jobs first")
        }
        var id = JobID.random()
        while board.record(id) != nil || FileManager.default.fileExists(atPath: data.entryURL(id).path) { id = JobID.random() }
        let staging = data.stagingURL(id)
        defer { try? FileManager.default.removeItem(at: staging) }
        let form = try await MultipartReceiver(folder: staging, limit: configuration.maxUploadBytes).receive(request)
        let options = try UploadCheck(session: session, models: models).check(form)
        if used + Self.size(of: staging) > configuration.maxDiskBytes {
            throw ServeError(ServeError.insufficientStorage, "this upload would take the data folder over --max-disk-gb: delete jobs first")
        }
        let record = JobRecord(
            id: id, status: .queued, progress: .none, error: nil, resumedFrames: 0,
            created: Self.timestamp(), options: options,
            inputs: form.files.mapValues(\.filename), renderStarted: false)
        do {
            try FileManager.default.createDirectory(at: data.entryURL(id), withIntermediateDirectories: true)
            try FileManager.default.moveItem(at: staging, to: data.inputsURL(id))
            try data.write(record)
        } catch {
            data.remove(id)
            throw ServeError(.internalServerError, "cannot store the job: \(JobRunner.oneLine(error, hiding: data.url.path))")
        }
        board.add(record)
        return try JSONResponse.make(record, status: .created)
    }

    /// Now in ISO 8601 with milliseconds (jobs sort by it).
    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }

    /// Bytes of the files in `folder`.
    static func size(of folder: URL) -> Int64 {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.reduce(0) { total, name in
            let size = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path))?[.size]
            return total + Int64((size as? Int) ?? 0)
        }
    }
}
