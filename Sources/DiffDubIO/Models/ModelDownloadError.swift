import Foundation

/// A model download failed. Each description is one line naming the URL or file.
package enum ModelDownloadError: Error, LocalizedError, CustomStringConvertible, Equatable {
    /// The server answered with an HTTP status other than 200 or 206.
    case httpStatus(url: String, status: Int)
    /// The connection failed or dropped (the partial file, if any, is kept for a resume).
    case network(url: String, reason: String)
    /// The server closed the response before all announced bytes arrived.
    case incomplete(url: String, received: Int64, expected: Int64)
    /// The response cannot be appended to the partial file (a `Content-Range` that does not fit).
    case badResponse(url: String, reason: String)
    /// The downloaded file's SHA-256 is not the published one (the download is removed).
    case checksumMismatch(path: String, expected: String, actual: String)
    /// The downloaded file's size is not the published one (the download is removed).
    case sizeMismatch(path: String, expected: Int64, actual: Int64)
    /// The downloaded file does not parse as what it must be (``ModelFile/Kind``): a checkpoint
    /// whose tensors do not read, a config that is not a JSON object (the download is removed).
    case unusable(path: String, kind: ModelFile.Kind, reason: String)
    /// The final name or the `.part` is there but is not a regular file (a symbolic link, a
    /// directory, a FIFO...): it is left as it is, nothing is followed, written or deleted.
    case notARegularFile(path: String, what: String)
    /// A regular file is already at the final name but cannot be the published file (empty,
    /// or not the published size): it is left as it is and not downloaded again.
    case presentButWrong(path: String, reason: String)
    /// No byte arrived for ``ModelDownloader/idleTimeout`` seconds (the `.part` is kept for a
    /// resume).
    case stalled(url: String, seconds: Double, received: Int64)
    /// Fewer bytes than ``ModelDownloader/minimumBytesPerSecond`` arrived per second over a
    /// window of ``ModelDownloader/idleTimeout`` seconds (the `.part` is kept for a resume).
    case tooSlow(url: String, bytesPerSecond: Double, minimum: Double, seconds: Double)
    /// A redirect to something other than an `http` or `https` URL, which is not followed.
    case unsupportedRedirect(url: String, location: String)
    /// A file of the model folder cannot be written or read.
    case file(path: String, reason: String)

    /// One line naming the URL or file and what is wrong.
    package var description: String {
        switch self {
        case .httpStatus(let url, let status):
            "\(url): HTTP \(status) (\(HTTPURLResponseText.reason(for: status)))"
        case .network(let url, let reason):
            "\(url): \(reason)"
        case .incomplete(let url, let received, let expected):
            "\(url): the connection closed after \(received) of \(expected) bytes"
        case .badResponse(let url, let reason):
            "\(url): \(reason)"
        case .checksumMismatch(let path, let expected, let actual):
            "\(path): SHA-256 \(actual) is not the published \(expected); the download was removed"
        case .sizeMismatch(let path, let expected, let actual):
            "\(path): \(actual) bytes, not the published \(expected); the download was removed"
        case .unusable(let path, let kind, let reason):
            "\(path): the download is not \(kind == .checkpoint ? "a readable checkpoint" : "a JSON object") "
                + "(\(reason)); the download was removed"
        case .notARegularFile(let path, let what):
            "\(path): is \(what), not a regular file; left as it is (move it away to download here)"
        case .presentButWrong(let path, let reason):
            "\(path): already there but \(reason); move it away to download it again"
        case .stalled(let url, let seconds, let received):
            "\(url): no data for \(Self.seconds(seconds)) s after \(received) bytes (the idle timeout); "
                + "the .part is kept and the next run resumes it"
        case .tooSlow(let url, let rate, let minimum, let seconds):
            "\(url): \(Self.rate(rate)) bytes/s over \(Self.seconds(seconds)) s, under the floor of "
                + "\(Self.rate(minimum)) bytes/s; the .part is kept and the next run resumes it"
        case .unsupportedRedirect(let url, let location):
            "\(url): redirected to \(location); only http and https redirects are followed"
        case .file(let path, let reason):
            "\(path): \(reason)"
        }
    }

    /// The same line as ``description``.
    package var errorDescription: String? { description }

    /// Whether another attempt may succeed where this one stopped (a dropped or failed
    /// connection), as opposed to an answer that will not change (an HTTP error status).
    package var isTransient: Bool {
        switch self {
        case .network, .incomplete, .stalled, .tooSlow: true
        case .httpStatus(_, let status): status >= 500 || status == 408 || status == 429
        case .badResponse, .checksumMismatch, .sizeMismatch, .unusable, .notARegularFile, .presentButWrong,
            .unsupportedRedirect, .file:
            false
        }
    }

    private static func seconds(_ value: Double) -> String {
        String(format: "%g", value)
    }

    private static func rate(_ value: Double) -> String {
        value >= 10 ? String(format: "%.0f", value) : String(format: "%.2g", value)
    }
}

/// Short texts of the common HTTP statuses (Foundation's `localizedString(forStatusCode:)`
/// differs between platforms).
enum HTTPURLResponseText {
    static func reason(for status: Int) -> String {
        switch status {
        case 400: "bad request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not found"
        case 408: "request timeout"
        case 410: "gone"
        case 416: "range not satisfiable"
        case 429: "too many requests"
        case 500: "internal server error"
        case 502: "bad gateway"
        case 503: "service unavailable"
        case 504: "gateway timeout"
        case 300..<400: "redirect"
        case 400..<500: "client error"
        case 500..<600: "server error"
        default: "unexpected status"
        }
    }
}
