import Foundation

/// How far the download of one file has got, reported by ``ModelDownloader`` (at most about
/// ten times a second, plus once when the file is complete).
public struct DownloadProgress: Sendable, Hashable {
    /// The file being downloaded.
    package var file: ModelFile
    /// Where it is downloaded from (the published URL or the mirror's).
    package var source: URL
    /// Bytes of the file on disk so far, including those of a resumed partial download.
    public var bytesReceived: Int64
    /// The file's size when the server announced it.
    public var totalBytes: Int64?
    /// Bytes already on disk when this attempt started (0 unless resuming).
    package var resumedFrom: Int64
    /// Seconds since this attempt's response began.
    package var elapsed: TimeInterval
    /// Whether the file is complete.
    public var isFinished: Bool

    /// A report of `file` from `source`.
    package init(
        file: ModelFile, source: URL, bytesReceived: Int64, totalBytes: Int64?, resumedFrom: Int64,
        elapsed: TimeInterval, isFinished: Bool
    ) {
        self.file = file
        self.source = source
        self.bytesReceived = bytesReceived
        self.totalBytes = totalBytes
        self.resumedFrom = resumedFrom
        self.elapsed = elapsed
        self.isFinished = isFinished
    }

    /// The mean speed of this attempt, once it has run for a moment.
    package var bytesPerSecond: Double? {
        guard elapsed >= 0.2, bytesReceived > resumedFrom else { return nil }
        return Double(bytesReceived - resumedFrom) / elapsed
    }

    /// The estimated seconds left at the mean speed, when the size is known.
    package var estimatedRemaining: TimeInterval? {
        guard let totalBytes, let speed = bytesPerSecond, speed > 0 else { return nil }
        return Double(max(0, totalBytes - bytesReceived)) / speed
    }

    /// The completed fraction (0...1), when the size is known.
    public var fraction: Double? {
        guard let totalBytes, totalBytes > 0 else { return nil }
        return min(1, Double(bytesReceived) / Double(totalBytes))
    }
}

/// Receives ``DownloadProgress`` reports (on a background queue).
public typealias DownloadProgressHandler = @Sendable (DownloadProgress) -> Void
