import DiffDubCore
import DiffDubIO
import Foundation

/// Everything `diffdub serve` is started with: where the jobs live, where it listens, who may
/// ask, and the bounds on uploads, queued jobs and disk use.
public struct ServeConfiguration: Sendable {
    /// The data folder: one job folder per job, plus `serve/<id>/` (uploads, metadata, output).
    public var dataFolder: URL
    /// The address to bind (default loopback).
    public var host: String
    /// The port (0: any free port).
    public var port: Int
    /// Jobs run at once.
    public var workers: Int
    /// When set, every `/api/*` request and `/openapi.json` need `Authorization: Bearer <token>`
    /// (or `?token=` on a GET).
    public var token: String?
    /// Largest upload (the whole multipart body), in bytes.
    public var maxUploadBytes: Int
    /// Most jobs waiting in the queue (queued, not yet running); more are refused with 429.
    public var maxQueuedJobs: Int
    /// Most bytes the data folder may hold; an upload that would need more is refused with 507.
    public var maxDiskBytes: Int64
    /// Threads and memory of the renders.
    public var compute: ComputeSettings
    /// The version recorded in every job's manifest.
    public var toolVersion: String

    /// A configuration with the documented defaults.
    public init(
        dataFolder: URL, host: String = "127.0.0.1", port: Int = 8080, workers: Int = 1, token: String? = nil,
        maxUploadBytes: Int = 2048 << 20, maxQueuedJobs: Int = 100, maxDiskBytes: Int64 = 100 << 30,
        compute: ComputeSettings = ComputeSettings(), toolVersion: String
    ) {
        self.dataFolder = dataFolder
        self.host = host
        self.port = port
        self.workers = workers
        self.token = token
        self.maxUploadBytes = maxUploadBytes
        self.maxQueuedJobs = maxQueuedJobs
        self.maxDiskBytes = maxDiskBytes
        self.compute = compute
        self.toolVersion = toolVersion
    }

    /// Whether `host` only reaches this machine.
    public static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased()) || host.hasPrefix("127.")
    }

    /// Refuses a configuration that must not start: a non-loopback host without a token, bounds
    /// out of range.
    public func validate() throws {
        if !Self.isLoopback(host), (token ?? "").isEmpty { throw ServeStartError.tokenRequired(host: host) }
        if !(1...64).contains(workers) { throw ServeStartError.invalidBound(flag: "--workers", reason: "expected 1 to 64") }
        if !(0...65535).contains(port) { throw ServeStartError.invalidBound(flag: "--port", reason: "expected 0 to 65535") }
        if maxUploadBytes < 1 << 20 { throw ServeStartError.invalidBound(flag: "--max-upload-mb", reason: "expected 1 or more") }
        if maxQueuedJobs < 1 { throw ServeStartError.invalidBound(flag: "--max-queued-jobs", reason: "expected 1 or more") }
        if maxDiskBytes < 1 << 30 { throw ServeStartError.invalidBound(flag: "--max-disk-gb", reason: "expected 1 or more") }
    }
}
