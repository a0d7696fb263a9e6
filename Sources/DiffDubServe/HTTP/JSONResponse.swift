import Foundation
import Hummingbird

/// JSON responses of the API: values encoded with sorted keys, errors as `{"error": "..."}`.
enum JSONResponse {
    /// `value` as JSON with `status`.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return make(data: try encoder.encode(value), status: status)
    }

    /// JSON bytes with `status`.
    static func make(data: Data, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `{"error": message}` with `status`.
    static func error(_ message: String, status: HTTPResponse.Status) -> Response {
        let body = (try? JSONEncoder().encode(["error": message])) ?? Data("{\"error\":\"error\"}".utf8)
        return make(data: body, status: status)
    }
}

/// Turns every error of a route (and a path no route takes) into `{"error": "<one line>"}`
/// with its status: ``ServeError``s as they are, Hummingbird's errors with their status, any
/// other error as 500.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ServeError {
            var response = JSONResponse.error(error.message, status: error.status)
            if error.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
            return response
        } catch let error as HTTPError {
            let message =
                error.status == .notFound ? "no such path: \(request.method.rawValue) \(request.uri.path)"
                : error.body ?? error.status.reasonPhrase
            return JSONResponse.error(message, status: error.status)
        } catch {
            return JSONResponse.error(JobRunner.oneLine(error), status: .internalServerError)
        }
    }
}
