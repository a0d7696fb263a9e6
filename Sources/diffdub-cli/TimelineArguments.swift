import ArgumentParser
import DiffDubCore

/// `--fit speech|shortest`.
extension TimelineFit: ExpressibleByArgument {}

/// `--fps 25|source`.
enum FrameRateArgument: String, ExpressibleByArgument, CaseIterable {
    /// 25 fps, the model's rate.
    case model = "25"
    /// The video's own rate.
    case source

    /// The library's choice.
    var choice: DubbingOptions.FrameRateChoice { self == .model ? .model : .source }
}
