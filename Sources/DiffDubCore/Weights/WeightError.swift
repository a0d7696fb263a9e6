import Foundation

/// A checkpoint does not fit the model being built from it.
package enum WeightError: LocalizedError, CustomStringConvertible, Equatable {
    /// The model needs `key`, the checkpoint lacks it.
    case missing(key: String, source: String)
    /// The checkpoint holds tensors the model does not use (strict binding).
    case unexpected(keys: [String], source: String)
    /// `key` exists with another shape than the model needs.
    case shapeMismatch(key: String, expected: [Int], found: [Int], source: String)
    /// The tensors' shapes do not describe a configuration the model supports.
    case invalidConfiguration(String, source: String)
    /// Reading the data of `key` failed.
    case unreadable(key: String, reason: String, source: String)

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// One line naming the file, the key and what is wrong.
    package var description: String {
        switch self {
        case .missing(let key, let source):
            "\(source): missing tensor '\(key)'"
        case .unexpected(let keys, let source):
            "\(source): \(keys.count) unexpected tensor(s): "
                + keys.prefix(5).joined(separator: ", ") + (keys.count > 5 ? ", ..." : "")
        case .shapeMismatch(let key, let expected, let found, let source):
            "\(source): tensor '\(key)' has shape \(found), expected \(expected)"
        case .invalidConfiguration(let message, let source):
            "\(source): \(message)"
        case .unreadable(let key, let reason, let source):
            "\(source): cannot read tensor '\(key)': \(reason)"
        }
    }

}
