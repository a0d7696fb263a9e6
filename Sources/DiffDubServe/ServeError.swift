import Foundation
import Hummingbird

/// A request the API refuses, with its HTTP status and one line saying what is wrong (the
/// body `{"error": "<message>"}`).
public struct ServeError: Error, LocalizedError, Sendable, Equatable {
    /// The status of the response.
    public var status: HTTPResponse.Status
    /// One line naming the field or file and what is wrong.
    public var message: String

    /// An error answered with `status` and `message`.
    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    public var errorDescription: String? { message }

    /// 400: a field, file or option that is wrong.
    static func badRequest(_ message: String) -> ServeError { ServeError(.badRequest, message) }
    /// 404: no job with this id.
    static func noJob(_ id: String) -> ServeError { ServeError(.notFound, "no job \(id)") }
    /// 507 Insufficient Storage (not among HTTPTypes' names).
    static let insufficientStorage = HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")

    /// 409: the job is not in a state that allows this.
    static func conflict(_ message: String) -> ServeError { ServeError(.conflict, message) }
}

/// Why `diffdub serve` refuses to start.
public enum ServeStartError: Error, LocalizedError, Equatable {
    /// A host other than loopback without a token.
    case tokenRequired(host: String)
    /// The data folder cannot be used.
    case dataFolder(path: String, reason: String)
    /// A bound out of range.
    case invalidBound(flag: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .tokenRequired(let host):
            "--host \(host) is not loopback: give --token T so that only holders of the token reach the API"
        case .dataFolder(let path, let reason): "--data \(path): \(reason)"
        case .invalidBound(let flag, let reason): "\(flag): \(reason)"
        }
    }
}
