import ArgumentParser
import DiffDubCore

/// `--sampler ddim|dpmpp2m` of `render` and `dub`.
extension SamplerKind: ExpressibleByArgument {}
