import CBF16Kernels

/// The arithmetic of the large matrix products (Winograd products, 1x1 convolutions, attention).
///
/// - `fp32`: float32 inputs and sums (the default, and the reference).
/// - `bf16`: inputs rounded to bfloat16 (8 significant bits, to nearest even), products summed in
///   float32 (`vdpbf16ps`); about twice the product rate on CPUs with AVX512_BF16
///   (`runsNatively`). Elsewhere the same arithmetic is emulated in portable code, slower than
///   fp32: a precision is a result setting, so a plan made with bf16 gives bfloat16 frames on
///   every machine (a job's shards on a mixed cluster agree). The 3x3
///   convolutions take it where it is faster than float32 Winograd F(6x6): up to
///   `Conv2dAlgorithm.bf16MaximumSide` outputs per side, and above where F(6x6) would not run
///   fused (Docs/PERFORMANCE.md).
public enum Precision: String, Sendable, Codable, CaseIterable {
    /// float32 throughout.
    case fp32
    /// bfloat16 product inputs, float32 sums.
    case bf16

    /// Whether this machine runs this precision on its own instructions (fp32: always; bf16:
    /// x86-64 with AVX512F, AVX512BW and AVX512_BF16, checked at run time) rather than in the
    /// portable emulation.
    package var runsNatively: Bool {
        switch self {
        case .fp32: return true
        case .bf16: return BF16Products.isAvailable
        }
    }

    /// Runs `operation` with the kernels it calls from this task (and from tasks it starts) in
    /// this precision (a task-local binding: other tasks and threads are unaffected).
    ///
    /// ```swift
    /// let y = Precision.bf16.run { matmul(a, b) }   // bfloat16 inputs, float32 sums
    /// ```
    package func run<Result>(_ operation: () throws -> Result) rethrows -> Result {
        try KernelContext.$precision.withValue(self, operation: operation)
    }

    /// `operation` in `precision`, or in the precision in force when `nil`.
    static func using<Result>(_ precision: Precision?, _ operation: () throws -> Result) rethrows -> Result {
        guard let precision else { return try operation() }
        return try precision.run(operation)
    }
}

/// Settings the kernels read from the task that calls them (bound with
/// `KernelContext.$precision.withValue(...) { ... }`, e.g. by ``Renderer``), never process-wide.
///
/// Kernels read them on the calling thread, before any ``parallelFor(_:minimumChunk:_:)``
/// (task-locals are not visible on its worker threads).
enum KernelContext {
    /// The precision asked for; see ``productsUseBF16`` for what runs.
    @TaskLocal static var precision: Precision = .fp32

    /// Whether the large products run on bfloat16 inputs (natively or emulated).
    static var productsUseBF16: Bool { precision == .bf16 }
}
