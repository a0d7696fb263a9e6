import Foundation

/// A job folder cannot be prepared, rendered or finished as asked.
package enum JobError: Error, LocalizedError, CustomStringConvertible, Equatable {
    /// The folder holds no job (no `manifest.json`).
    case notAJob(path: String)
    /// The folder already holds a job (prepare never overwrites one).
    case alreadyPrepared(path: String)
    /// A job file is missing or unreadable.
    case damaged(path: String, reason: String)
    /// A value of a job file is out of range or disagrees with the rest of the job: `field`
    /// names it as a JSON path (`frames[3].source`) or a property of the array or image
    /// (`shape`, `pixel format`).
    case invalidField(path: String, field: String, reason: String)
    /// The manifest was written by another format version.
    case unsupportedFormat(path: String, version: Int, supported: Int)
    /// A shard `K/N` outside `0 <= K < N`.
    case invalidShard(text: String)
    /// A file (a model, an input, one frame of a frame folder) differs from the one prepared.
    case changedFile(role: String, path: String, reason: String)
    /// Frames are not rendered yet (finish refuses); `missing` are ranges of output frames.
    case incomplete(done: Int, total: Int, missing: [Range<Int>])

    /// One line naming the file or value and what is wrong.
    package var description: String {
        switch self {
        case .notAJob(let path): "\(path): not a job folder (no manifest.json)"
        case .alreadyPrepared(let path): "\(path): already holds a prepared job; use a new folder"
        case .damaged(let path, let reason): "\(path): \(reason)"
        case .invalidField(let path, let field, let reason): "\(path): \(field): \(reason)"
        case .unsupportedFormat(let path, let version, let supported):
            "\(path): job format version \(version); this tool reads version \(supported)"
        case .invalidShard(let text): "shard \(text): expected K/N with 0 <= K < N"
        case .changedFile(let role, let path, let reason): "\(path): \(role) changed since the job was prepared (\(reason))"
        case .incomplete(let done, let total, let missing):
            "\(done)/\(total) frames rendered; missing \(JobStatus.format(missing))"
        }
    }

    /// The same line, for `localizedDescription`.
    package var errorDescription: String? { description }
}
