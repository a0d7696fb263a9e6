import ArgumentParser
import DiffDubCore
import Foundation

/// `--precision fp32|bf16` of `render`.
extension Precision: ExpressibleByArgument {}

/// The one line a command prints when the CPU cannot run the precision asked for.
enum PrecisionNotice {
    /// Prints the notice when `precision` runs as fp32 on this machine.
    static func warnIfUnsupported(_ precision: Precision) {
        guard precision.effective != precision else { return }
        FileHandle.standardError.write(
            Data("note: this CPU has no AVX512_BF16; --precision \(precision.rawValue) runs as fp32\n".utf8))
    }
}
