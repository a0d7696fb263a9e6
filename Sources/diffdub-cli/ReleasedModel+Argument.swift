import ArgumentParser
import DiffDubIO

/// The model names of `diffdub models list|download`.
extension ReleasedModel: ExpressibleByArgument {}
