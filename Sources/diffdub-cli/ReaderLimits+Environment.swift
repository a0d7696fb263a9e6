import DiffDubIO
import Foundation

extension ReaderLimits {
    /// The limits of this command: the defaults, with each `DIFFDUB_MAX_*` / `DIFFDUB_MIN_*`
    /// variable of the process environment that holds a positive integer in place of its limit
    /// (``ReaderLimits/fromEnvironment(_:)``). The command reads the environment; the library
    /// only takes the value it is handed.
    static var ofThisCommand: ReaderLimits { fromEnvironment(ProcessInfo.processInfo.environment) }
}
