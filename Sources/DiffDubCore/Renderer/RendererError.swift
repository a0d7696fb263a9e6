import Foundation

/// Inputs the renderer cannot work with.
package enum RendererError: LocalizedError, CustomStringConvertible, Equatable {
    /// An argument has the wrong shape; `expected` describes the accepted layouts.
    case invalidShape(argument: String, shape: [Int], expected: String)
    /// The checkpoint holds no tensor under the requested prefix (e.g. `ema_model.`).
    case missingPrefix(prefix: String, source: String)

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// One line naming the argument (or file) and what is wrong.
    package var description: String {
        switch self {
        case .invalidShape(let argument, let shape, let expected):
            "\(argument) has shape \(shape), expected \(expected)"
        case .missingPrefix(let prefix, let source):
            "\(source): no tensor under '\(prefix)' (a DiffDub stage-1 checkpoint keeps its EMA weights there)"
        }
    }

}
