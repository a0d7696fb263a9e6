import ArgumentParser
import DiffDubCore
import Foundation

/// `--precision fp32|bf16` of `render`.
extension Precision: ExpressibleByArgument {}

/// The one line a command prints when the CPU emulates the precision asked for.
enum PrecisionNotice {
    /// Prints the notice when `precision` is emulated on this machine.
    static func warnIfUnsupported(_ precision: Precision) {
        guard !precision.runsNatively else { return }
        FileHandle.standardError.write(
            Data(
                "note: this CPU has no AVX512_BF16; --precision \(precision.rawValue) is emulated in portable code (same results, slower than fp32)\n"
                    .utf8))
    }
}
