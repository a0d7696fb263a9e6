import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP GET of a file into a partial file on disk, appending to what is there (a `Range`
/// request) or starting over when the server sends the whole file.
///
/// URLSession's data delegate receives the body chunk by chunk; each chunk is written to the
/// file at once, so memory stays flat. Redirects (Hugging Face and GitHub answer with 302 to
/// their storage) keep the `Range` header.
final class HTTPFileTransfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// How an attempt ended when it did not throw.
    enum Ending { case complete, restartFromZero }

    private let file: ModelFile
    private let source: URL
    private let destination: URL
    private let idleTimeout: TimeInterval
    private let progress: DownloadProgressHandler?

    // Touched only on the session's serial delegate queue (and read after completion).
    private var offset: Int64 = 0
    private var range: String?
    private var handle: FileHandle?
    private var written: Int64 = 0
    private var startedAt = Date()
    private var resumedFrom: Int64 = 0
    private var total: Int64?
    private var failure: Error?
    private var ending: Ending = .complete
    private var stoppedEarly = false
    private var lastReport = Date.distantPast
    private var continuation: CheckedContinuation<Ending, Error>?

    /// The byte the accepted response started at (0 for a whole file, the partial file's size
    /// for a resumed one); `nil` until a 200, 206 or 416 arrived. Read after ``run()``.
    private(set) var responseStart: Int64?

    init(file: ModelFile, source: URL, destination: URL, idleTimeout: TimeInterval, progress: DownloadProgressHandler?)
    {
        self.file = file
        self.source = source
        self.destination = destination
        self.idleTimeout = idleTimeout
        self.progress = progress
    }

    /// Runs the request; cancelling the task cancels it (the partial file stays).
    func run() async throws -> Ending {
        offset =
            (try? FileManager.default.attributesOfItem(atPath: destination.path)[.size] as? NSNumber)?.int64Value ?? 0
        var request = URLRequest(url: source, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: idleTimeout)
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        if offset > 0 {
            range = "bytes=\(offset)-"
            request.setValue(range, forHTTPHeaderField: "Range")
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = idleTimeout
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Ending, Error>) in
                queue.addOperation {
                    self.continuation = continuation
                    task.resume()
                }
            }
        } onCancel: {
            task.cancel()
        }
    }

    // MARK: URLSessionDataDelegate

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        var redirected = request
        if let range { redirected.setValue(range, forHTTPHeaderField: "Range") }
        redirected.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        completionHandler(redirected)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        do {
            if try begin(response) {
                completionHandler(.allow)
            } else {
                stoppedEarly = true
                completionHandler(.cancel)
            }
        } catch {
            failure = error
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard failure == nil, let handle else { return }
        do {
            try handle.write(contentsOf: data)
        } catch {
            failure = ModelDownloadError.file(path: destination.path, reason: ModelStore.reason(error))
            dataTask.cancel()
            return
        }
        written += Int64(data.count)
        report(finished: false)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        do {
            try handle?.synchronize()
            try handle?.close()
        } catch {
            if failure == nil {
                failure = ModelDownloadError.file(path: destination.path, reason: ModelStore.reason(error))
            }
        }
        handle = nil
        let result: Result<Ending, Error>
        if let failure {
            result = .failure(failure)
        } else if stoppedEarly {
            if ending == .complete { report(finished: true) }
            result = .success(ending)
        } else if let error {
            let code = (error as? URLError)?.code
            result = .failure(
                code == .cancelled
                    ? CancellationError()
                    : ModelDownloadError.network(url: source.absoluteString, reason: ModelStore.reason(error)))
        } else if ending == .restartFromZero {
            result = .success(.restartFromZero)
        } else if let total, written != total {
            result = .failure(
                ModelDownloadError.incomplete(url: source.absoluteString, received: written, expected: total))
        } else {
            report(finished: true)
            result = .success(.complete)
        }
        continuation?.resume(with: result)
        continuation = nil
    }

    // MARK: Response handling

    /// Checks the status and opens the partial file: appended to for a 206 that starts where it
    /// ends, rewritten for a 200. Returns `false` when the body is not wanted (a 416 answer to a
    /// range past the end: the file is complete already, or must start over).
    private func begin(_ response: URLResponse) throws -> Bool {
        guard let http = response as? HTTPURLResponse else {
            throw ModelDownloadError.badResponse(url: source.absoluteString, reason: "not an HTTP response")
        }
        startedAt = Date()
        switch http.statusCode {
        case 200:
            try open(truncatingAt: 0)
            total = http.expectedContentLength >= 0 ? http.expectedContentLength : nil
            return true
        case 206 where range != nil:
            guard let contentRange = header("Content-Range", of: http).flatMap(ContentRange.init),
                let start = contentRange.start, start <= offset
            else {
                throw ModelDownloadError.badResponse(
                    url: source.absoluteString,
                    reason:
                        "a 206 answer whose Content-Range (\(header("Content-Range", of: http) ?? "none")) does not continue byte \(offset)"
                )
            }
            try open(truncatingAt: start)
            total = contentRange.total
            return true
        case 416 where range != nil:
            // The range starts at or past the end: complete already if the sizes agree.
            let contentRange = header("Content-Range", of: http).flatMap(ContentRange.init)
            if let size = contentRange?.total, size == offset {
                written = offset
                resumedFrom = offset
                responseStart = offset
                total = size
            } else {
                ending = .restartFromZero
            }
            return false
        default:
            throw ModelDownloadError.httpStatus(url: source.absoluteString, status: http.statusCode)
        }
    }

    private func open(truncatingAt start: Int64) throws {
        let manager = FileManager.default
        do {
            if !manager.fileExists(atPath: destination.path) {
                guard manager.createFile(atPath: destination.path, contents: nil) else {
                    throw CocoaError(.fileWriteNoPermission)
                }
            }
            let handle = try FileHandle(forWritingTo: destination)
            try handle.truncate(atOffset: UInt64(start))
            try handle.seek(toOffset: UInt64(start))
            self.handle = handle
        } catch {
            throw ModelDownloadError.file(path: destination.path, reason: ModelStore.reason(error))
        }
        written = start
        resumedFrom = start
        responseStart = start
    }

    private func header(_ name: String, of response: HTTPURLResponse) -> String? {
        response.allHeaderFields.first { ($0.key as? String)?.caseInsensitiveCompare(name) == .orderedSame }?.value
            as? String
    }

    private func report(finished: Bool) {
        guard let progress else { return }
        let now = Date()
        guard finished || now.timeIntervalSince(lastReport) >= 0.1 else { return }
        lastReport = now
        progress(
            DownloadProgress(
                file: file, source: source, bytesReceived: written, totalBytes: total, resumedFrom: resumedFrom,
                elapsed: now.timeIntervalSince(startedAt), isFinished: finished))
    }
}

/// An HTTP `Content-Range` value: `bytes START-END/TOTAL`, `bytes */TOTAL`, `TOTAL` may be `*`.
struct ContentRange: Equatable {
    /// The first byte, or `nil` for `*`.
    var start: Int64?
    /// The last byte, or `nil` for `*`.
    var end: Int64?
    /// The complete size, or `nil` for `*`.
    var total: Int64?

    init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("bytes ") else { return nil }
        let parts = trimmed.dropFirst(6).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let totalText = parts[1].trimmingCharacters(in: .whitespaces)
        if totalText == "*" {
            total = nil
        } else {
            guard let value = Int64(totalText), value >= 0 else { return nil }
            total = value
        }
        let span = parts[0].trimmingCharacters(in: .whitespaces)
        if span == "*" { return }
        let bounds = span.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let first = Int64(bounds[0]), let last = Int64(bounds[1]), first >= 0, last >= first
        else { return nil }
        start = first
        end = last
    }
}
