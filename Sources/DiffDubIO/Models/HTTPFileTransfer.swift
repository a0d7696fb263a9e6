import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One HTTP GET of a file into a partial file on disk, appending to what is there (a `Range`
/// request) or starting over when the server sends the whole file.
///
/// URLSession's data delegate receives the body chunk by chunk; each chunk is written to the
/// file at once, so memory stays flat. Redirects (Hugging Face and GitHub answer with 302 to
/// their storage) keep the `Range` header; a redirect to anything but http(s) is refused.
///
/// The response is checked before a byte is written: one `Content-Length` (not 0), for a 206
/// one `Content-Range` that continues the partial file up to its last byte with a length that
/// agrees, and a total that is the catalogue's size when it has one. The body must then bring
/// exactly the announced bytes. A watchdog ends the attempt when no byte arrived for
/// ``ModelDownloader/idleTimeout`` seconds, or fewer than ``ModelDownloader/minimumBytesPerSecond``
/// per second arrived over a window of that length (the partial file stays for a resume).
///
/// The partial file is opened with `O_NOFOLLOW | O_NONBLOCK` and must be a regular file: a
/// symbolic link is not followed, a FIFO does not block.
final class HTTPFileTransfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// How an attempt ended when it did not throw.
    enum Ending { case complete, restartFromZero }

    /// Redirects followed before the attempt is refused.
    static let maximumRedirects = 10

    private let file: ModelFile
    private let source: URL
    private let destination: URL
    private let idleTimeout: TimeInterval
    private let minimumBytesPerSecond: Double
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
    private var redirects = 0
    private var finished = false
    // Monotonic seconds (a wall-clock jump is not a stall).
    private var lastActivity: TimeInterval = 0
    private var windowStart: TimeInterval?
    private var windowBytes: Int64 = 0
    private var watchdog: DispatchSourceTimer?

    /// The byte the accepted response started at (0 for a whole file, the partial file's size
    /// for a resumed one); `nil` until a 200, 206 or 416 arrived. Read after ``run()``.
    private(set) var responseStart: Int64?

    init(
        file: ModelFile, source: URL, destination: URL, idleTimeout: TimeInterval, minimumBytesPerSecond: Double,
        progress: DownloadProgressHandler?
    ) {
        self.file = file
        self.source = source
        self.destination = destination
        self.idleTimeout = idleTimeout
        self.minimumBytesPerSecond = minimumBytesPerSecond
        self.progress = progress
    }

    deinit { watchdog?.cancel() }

    /// Runs the request; cancelling the task cancels it (the partial file stays).
    func run() async throws -> Ending {
        if case .regularFile(let size) = PathKind.of(destination) { offset = size }
        // URLSession's own timeout is a backstop, later than the watchdog that ends stalls (a
        // day when the idle timeout is off); when it fires anyway, it is reported as a stall.
        let backstop = idleTimeout.isFinite && idleTimeout > 0 ? min(2 * idleTimeout + 5, 86_400) : 86_400
        var request = URLRequest(url: source, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: backstop)
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        if offset > 0 {
            range = "bytes=\(offset)-"
            request.setValue(range, forHTTPHeaderField: "Range")
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = backstop
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
                    self.lastActivity = Self.now()
                    self.startWatchdog(queue: queue, task: task)
                    task.resume()
                }
            }
        } onCancel: {
            task.cancel()
        }
    }

    // MARK: Watchdog

    /// Checks the pace a few times per idle timeout (at most once per second), on the delegate
    /// queue, so it reads the same state as the callbacks.
    private func startWatchdog(queue: OperationQueue, task: URLSessionTask) {
        guard idleTimeout.isFinite, idleTimeout > 0, idleTimeout < 86_400 else { return }
        let interval = max(0.01, min(1, idleTimeout / 5))
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in
            guard let transfer = self else { return }
            queue.addOperation { transfer.checkPace(of: task) }
        }
        watchdog = timer
        timer.resume()
    }

    private static func now() -> TimeInterval { ProcessInfo.processInfo.systemUptime }

    private func checkPace(of task: URLSessionTask) {
        guard !finished, failure == nil else { return }
        let now = Self.now()
        if now - lastActivity >= idleTimeout {
            failure = ModelDownloadError.stalled(url: source.absoluteString, seconds: idleTimeout, received: written)
            task.cancel()
            return
        }
        guard let start = windowStart, minimumBytesPerSecond > 0 else { return }
        let span = now - start
        guard span >= idleTimeout else { return }
        let rate = Double(written - windowBytes) / span
        if rate < minimumBytesPerSecond {
            failure = ModelDownloadError.tooSlow(
                url: source.absoluteString, bytesPerSecond: rate, minimum: minimumBytesPerSecond, seconds: span)
            task.cancel()
            return
        }
        windowStart = now
        windowBytes = written
    }

    // MARK: URLSessionDataDelegate

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        lastActivity = Self.now()
        redirects += 1
        // The Location header as sent: Foundation on Linux turns `file:///x` into a path on the
        // same host, so the new request alone does not show what the server asked for.
        let header = values(of: "Location", in: response).first?.trimmingCharacters(in: .whitespaces)
        let location = header.map { String($0.prefix(200)) } ?? request.url?.absoluteString ?? "(no URL)"
        let asked = header.flatMap { URL(string: $0, relativeTo: response.url) } ?? request.url
        let schemes = [asked, request.url].map { $0?.scheme?.lowercased() }
        guard schemes.allSatisfy({ $0 == "http" || $0 == "https" }) else {
            failure = ModelDownloadError.unsupportedRedirect(url: source.absoluteString, location: location)
            completionHandler(nil)
            task.cancel()
            return
        }
        guard redirects <= Self.maximumRedirects else {
            failure = ModelDownloadError.badResponse(
                url: source.absoluteString,
                reason: "more than \(Self.maximumRedirects) redirects (the last to \(location))")
            completionHandler(nil)
            task.cancel()
            return
        }
        var redirected = request
        if let range { redirected.setValue(range, forHTTPHeaderField: "Range") }
        redirected.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        completionHandler(redirected)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        lastActivity = Self.now()
        guard failure == nil else {
            completionHandler(.cancel)
            return
        }
        do {
            if try begin(response) {
                windowStart = Self.now()
                windowBytes = written
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
        lastActivity = Self.now()
        if let total, written + Int64(data.count) > total {
            failure = ModelDownloadError.badResponse(
                url: source.absoluteString, reason: "the body is longer than the \(total) bytes announced")
            dataTask.cancel()
            return
        }
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
        finished = true
        watchdog?.cancel()
        watchdog = nil
        do {
            try handle?.synchronize()
            try handle?.close()
        } catch {
            if failure == nil {
                failure = ModelDownloadError.file(path: destination.path, reason: ModelStore.reason(error))
            }
        }
        let opened = handle != nil
        handle = nil
        let result: Result<Ending, Error>
        if let failure {
            result = .failure(failure)
        } else if stoppedEarly {
            if ending == .complete { report(finished: true) }
            result = .success(ending)
        } else if let error {
            let nsError = error as NSError
            let code = nsError.domain == NSURLErrorDomain ? URLError.Code(rawValue: nsError.code) : nil
            result = .failure(
                code == .cancelled
                    ? CancellationError()
                    : code == .timedOut
                        ? ModelDownloadError.stalled(
                            url: source.absoluteString, seconds: idleTimeout, received: written)
                        : ModelDownloadError.network(url: source.absoluteString, reason: ModelStore.reason(error)))
        } else if !opened {
            result = .failure(
                ModelDownloadError.badResponse(url: source.absoluteString, reason: "the response ended without a body"))
        } else if let total, written != total {
            result = .failure(
                ModelDownloadError.incomplete(url: source.absoluteString, received: written, expected: total))
        } else if written == 0 {
            result = .failure(ModelDownloadError.badResponse(url: source.absoluteString, reason: "the body is empty"))
        } else {
            report(finished: true)
            result = .success(.complete)
        }
        continuation?.resume(with: result)
        continuation = nil
    }

    // MARK: Response handling

    /// Checks the status and headers, then opens the partial file: appended to for a 206 that
    /// starts where it ends, rewritten for a 200. Returns `false` when the body is not wanted
    /// (a 416 answer to a range past the end: the file is complete already, or must start over).
    private func begin(_ response: URLResponse) throws -> Bool {
        guard let http = response as? HTTPURLResponse else {
            throw ModelDownloadError.badResponse(url: source.absoluteString, reason: "not an HTTP response")
        }
        startedAt = Date()
        switch http.statusCode {
        case 200:
            let length = try contentLength(of: http)
            guard length != 0 else {
                throw ModelDownloadError.badResponse(
                    url: source.absoluteString, reason: "an empty body (Content-Length: 0)")
            }
            if let length { try checkTotal(length) }
            try open(truncatingAt: 0)
            total = length
            return true
        case 206 where range != nil:
            let texts = values(of: "Content-Range", in: http)
            guard texts.count == 1, let contentRange = ContentRange(texts[0]), let start = contentRange.start,
                let end = contentRange.end, let size = contentRange.total, start <= offset, end == size - 1
            else {
                let shown = texts.isEmpty ? "none" : String(texts.joined(separator: " and ").prefix(120))
                throw ModelDownloadError.badResponse(
                    url: source.absoluteString,
                    reason:
                        "a 206 answer whose Content-Range (\(shown)) is not one range from byte \(offset) to the last byte"
                )
            }
            if let length = try contentLength(of: http), length != end - start + 1 {
                throw ModelDownloadError.badResponse(
                    url: source.absoluteString,
                    reason: "Content-Length \(length) does not match Content-Range bytes \(start)-\(end)/\(size)")
            }
            try checkTotal(size)
            try open(truncatingAt: start)
            total = size
            return true
        case 416 where range != nil:
            // The range starts at or past the end: complete already if the sizes agree. Only a
            // partial file of exactly the announced (and catalogued) size is trusted; the
            // downloader then checks its content before keeping it.
            let texts = values(of: "Content-Range", in: http)
            let size = texts.count == 1 ? ContentRange(texts[0])?.total : nil
            if let size, size == offset, file.size == nil || file.size == size {
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

    /// The one `Content-Length` of `response`, `nil` when there is none (a chunked body).
    private func contentLength(of response: HTTPURLResponse) throws -> Int64? {
        let texts = values(of: "Content-Length", in: response)
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard texts.count <= 1 else {
            throw ModelDownloadError.badResponse(
                url: source.absoluteString,
                reason:
                    "\(texts.count) Content-Length values (\(texts.joined(separator: ", ").prefix(80))); one is needed")
        }
        guard let text = texts.first else { return nil }
        guard let length = Int64(text), length >= 0 else {
            throw ModelDownloadError.badResponse(
                url: source.absoluteString, reason: "Content-Length \(text.prefix(40)) is not a byte count")
        }
        return length
    }

    /// Checks an announced total size against the catalogue's.
    private func checkTotal(_ size: Int64) throws {
        guard let expected = file.size, expected != size else { return }
        throw ModelDownloadError.badResponse(
            url: source.absoluteString, reason: "the server announces \(size) bytes; the published file has \(expected)"
        )
    }

    /// Opens the partial file without following a link or blocking on a FIFO, and checks it is
    /// a regular file, before truncating it at `start`.
    private func open(truncatingAt start: Int64) throws {
        let descriptor = openWithoutFollowing(destination.path)
        guard descriptor >= 0 else {
            let code = errno
            switch code {
            case ELOOP:
                throw ModelDownloadError.notARegularFile(path: destination.path, what: PathKind.symbolicLink.phrase)
            case ENXIO: throw ModelDownloadError.notARegularFile(path: destination.path, what: PathKind.fifo.phrase)
            case EISDIR:
                throw ModelDownloadError.notARegularFile(path: destination.path, what: PathKind.directory.phrase)
            default: throw ModelDownloadError.file(path: destination.path, reason: SystemErrorText.posix(code))
            }
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw ModelDownloadError.notARegularFile(path: destination.path, what: PathKind.of(destination).phrase)
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.truncate(atOffset: UInt64(start))
            try handle.seek(toOffset: UInt64(start))
        } catch {
            try? handle.close()
            throw ModelDownloadError.file(path: destination.path, reason: ModelStore.reason(error))
        }
        self.handle = handle
        written = start
        resumedFrom = start
        responseStart = start
    }

    /// Every value of the header `name` (any case), one per header line as Foundation gives them.
    private func values(of name: String, in response: HTTPURLResponse) -> [String] {
        response.allHeaderFields.compactMap { key, value in
            guard (key as? String)?.caseInsensitiveCompare(name) == .orderedSame else { return nil }
            return value as? String
        }
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

/// `open(2)` for writing, creating the file (0644) but never following a final symbolic link
/// (`ELOOP`) nor blocking on a FIFO without a reader (`ENXIO`).
private func openWithoutFollowing(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
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
