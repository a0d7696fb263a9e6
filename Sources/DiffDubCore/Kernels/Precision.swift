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
///
/// The kernels take it as part of a `KernelSettings` value handed down from the model call
/// (`Renderer.render(frames:reference:masks:latents:noise:steps:sampler:precision:progress:)`).
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
}

