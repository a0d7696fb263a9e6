import Foundation

/// Inputs that the lip latent predictor (stage 2) cannot take.
///
/// Every message says what was expected and what was found; callers that read the arrays from
/// files prefix the file name (the CLI does).
package enum LipSyncError: LocalizedError, CustomStringConvertible, Equatable {
    /// A rank-2 `[T, A]` array: one hidden state (usually the last layer), where stage 2 needs
    /// every hidden state of the Hubert model.
    case hubertLastLayerOnly(shape: [Int], layers: Int)
    /// The Hubert array's rank is not 3 (`[layers, T, A]`) or 4 (`[B, layers, T, A]`).
    case hubertRank(shape: [Int], layers: Int, width: Int)
    /// The layer axis does not hold as many hidden states as the checkpoint weighs.
    case hubertLayerCount(shape: [Int], found: Int, expected: Int)
    /// The feature width does not match the checkpoint's audio width.
    case hubertWidth(shape: [Int], found: Int, expected: Int)
    /// No Hubert frames (T = 0) or an empty batch.
    case emptyHubert(shape: [Int])
    /// The reference latents are not `[R, L]` or `[B, R, L]`.
    case referenceRank(shape: [Int], width: Int)
    /// The reference latent width does not match the checkpoint's latent width.
    case referenceWidth(shape: [Int], found: Int, expected: Int)
    /// No reference latents (R = 0) or an empty batch.
    case emptyReference(shape: [Int])
    /// A batch of `hubert` sequences with a batch of `reference` reference sets (must be equal,
    /// or the references one shared set).
    case batchMismatch(hubert: Int, reference: Int)

    /// Whether the error is about the reference latents (otherwise it is about the Hubert features).
    package var concernsReference: Bool {
        switch self {
        case .referenceRank, .referenceWidth, .emptyReference: true
        case .hubertLastLayerOnly, .hubertRank, .hubertLayerCount, .hubertWidth, .emptyHubert,
            .batchMismatch:
            false
        }
    }

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// One line saying what is wrong.
    package var description: String {
        switch self {
        case .hubertLastLayerOnly(let shape, let layers):
            "Hubert features have shape \(shape), a single hidden state; stage 2 weighs all \(layers) "
                + "hidden states of the Hubert model: expected [\(layers), T, A] or [B, \(layers), T, A] "
                + "(extract them with output_hidden_states)"
        case .hubertRank(let shape, let layers, let width):
            "Hubert features have shape \(shape); expected [\(layers), T, \(width)] or [B, \(layers), T, \(width)]"
        case .hubertLayerCount(let shape, let found, let expected):
            "Hubert features of shape \(shape) hold \(found) hidden state\(found == 1 ? "" : "s"); the checkpoint weighs \(expected)"
                + (found == 1 ? " (one layer, e.g. the last, is not enough: save all hidden states)" : "")
        case .hubertWidth(let shape, let found, let expected):
            "Hubert features of shape \(shape) are \(found) wide; the checkpoint's audio width is \(expected)"
        case .emptyHubert(let shape):
            "Hubert features of shape \(shape) hold no frames; at least one is needed"
        case .referenceRank(let shape, let width):
            "reference latents have shape \(shape); expected [R, \(width)] or [B, R, \(width)]"
        case .referenceWidth(let shape, let found, let expected):
            "reference latents of shape \(shape) are \(found) wide; the checkpoint's latent width is \(expected)"
        case .emptyReference(let shape):
            "reference latents of shape \(shape) hold no latents; at least one is needed"
        case .batchMismatch(let hubert, let reference):
            "\(hubert) Hubert sequences with \(reference) reference sets; give one reference set per sequence or one for all"
        }
    }
}
