import ArgumentParser
import DiffDubCore

/// `--precision fp32|bf16` of `render`.
extension Precision: ExpressibleByArgument {}
