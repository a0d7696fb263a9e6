import ArgumentParser

/// The ranges of the numeric options the library does not check itself (the others are the
/// library's: ``DubbingOptions/validate()``, ``FaceTrackingOptions/validate()``).
enum OptionRange {
    /// `--threads`: kernel threads.
    static let threads = 1...1024
    /// `--image-size`: the renderer's image side (the released models use 256).
    static let imageSize = 1...4096
    /// `--retries`: download attempts after the first.
    static let retries = 0...100
    /// `--bf16-winograd-tile`: the Winograd tiles there are.
    static let winogradTiles = [2, 4, 6]

    /// Throws one line naming `flag` and `range` unless `value` lies in it.
    static func check(_ flag: String, _ value: Int, _ range: ClosedRange<Int>) throws {
        guard range.contains(value) else {
            throw ValidationError("\(flag) \(value): expected \(range.lowerBound) to \(range.upperBound)")
        }
    }
}
