import Foundation
import Hummingbird

/// `GET /api/jobs/{id}/events`: a `text/event-stream` of the job's record. An event `job` (the
/// same JSON as `GET /api/jobs/{id}`) is sent at once and whenever the record changes (checked
/// every ``interval``), a comment every ``keepAlive`` seconds keeps proxies from closing an idle
/// stream, and the stream ends after the event of a final state (done, failed, cancelled) or
/// with an event `deleted` when the job is deleted.
enum EventStream {
    /// How often the record is looked at.
    static let interval = Duration.milliseconds(250)
    /// Seconds between keep-alive comments.
    static let keepAlive = 15.0

    /// The stream of job `id` on `board`.
    static func response(id: JobID, board: JobBoard) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        let body = ResponseBody { writer in
            var last: JobRecord?
            var quiet = ContinuousClock.now
            while !Task.isCancelled {
                guard let record = board.record(id) else {
                    try await writer.write(ByteBuffer(string: "event: deleted\ndata: {\"id\":\"\(id)\"}\n\n"))
                    break
                }
                if record != last {
                    let json = String(decoding: try record.json(), as: UTF8.self)
                    try await writer.write(ByteBuffer(string: "event: job\ndata: \(json)\n\n"))
                    last = record
                    quiet = .now
                    if record.status.isFinal { break }
                } else if ContinuousClock.now - quiet > .seconds(keepAlive) {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    quiet = .now
                }
                try await Task.sleep(for: interval)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
