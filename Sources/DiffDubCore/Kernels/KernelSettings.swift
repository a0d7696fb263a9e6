/// The arithmetic of one model call's kernels: the precision of the large products and the rules
/// that choose a convolution's algorithm. A value handed from the model call (``Renderer``)
/// through the layers' forward functions to ``conv2d(_:weight:bias:padding:kernels:)``,
/// ``conv1d(_:weight:bias:stride:padding:groups:kernels:)``, ``matmul(_:_:transposeA:transposeB:kernels:)``
/// and ``scaledDotProductAttention(query:key:value:scale:kernels:)``; nothing ambient (no
/// task-local, no static) decides what a kernel computes, so a call on any thread gives the
/// same numbers for the same settings.
///
/// ```swift
/// let bf16 = KernelSettings(precision: .bf16)
/// let y = conv2d(x, weight: w, bias: b, padding: 1, kernels: bf16)   // bfloat16 products
/// ```
///
/// The defaults (``standard``) are the tuned rules in float32; benchmarks and tests change the
/// other fields to compare algorithms (`diffdub-bench unet-accuracy`, `convshapes`, `pointwise`).
package struct KernelSettings: Sendable, Hashable {
    /// The arithmetic of the large products (Winograd products, 1x1 convolutions, attention).
    package var precision: Precision
    /// Whether ``Conv2dAlgorithm/automatic`` may choose Winograd (false: every convolution takes
    /// the im2col path, the reference a model's fast path is checked against).
    package var automaticUsesWinograd: Bool
    /// The largest Winograd output tile (2, 4 or 6) ``Conv2dAlgorithm/automatic`` takes with
    /// float32 products.
    package var largestWinogradTile: Int
    /// The largest Winograd output tile (2, 4 or 6) ``Conv2dAlgorithm/automatic`` takes with
    /// bfloat16 products (default 2: F(2x2, 3x3) only). Rounding the products' inputs to bfloat16
    /// costs about 2^-9 of them, and the output transform amplifies it with the tile: on the
    /// UNet's 3x3 layers (`diffdub-bench unet-accuracy --layers`), max / mean |bf16 - im2col|
    /// relative to the output's RMS is about 0.02 / 0.003 with F(2x2), 0.3 / 0.015 with F(4x4)
    /// and 0.5 / 0.03 with F(6x6) (float32: 3e-6 to 1e-4).
    package var largestWinogradTileBF16: Int
    /// How a Winograd convolution schedules its stages.
    package var winogradSchedule: Conv2dTiling.WinogradSchedule
    /// Whether the float32 1x1 convolutions run on the packed kernel where it pays (false: OpenBLAS
    /// `sgemm` after a bias fill; ``PackedGEMM``). Only builds with ``PackedProducts/isAvailable``
    /// have that kernel in any case.
    package var usesPackedProducts: Bool

    /// Settings with the given values; the defaults are the tuned ones, in float32.
    package init(
        precision: Precision = .fp32, automaticUsesWinograd: Bool = true, largestWinogradTile: Int = 6,
        largestWinogradTileBF16: Int = 2, winogradSchedule: Conv2dTiling.WinogradSchedule = .automatic,
        usesPackedProducts: Bool = true
    ) {
        self.precision = precision
        self.automaticUsesWinograd = automaticUsesWinograd
        self.largestWinogradTile = largestWinogradTile
        self.largestWinogradTileBF16 = largestWinogradTileBF16
        self.winogradSchedule = winogradSchedule
        self.usesPackedProducts = usesPackedProducts
    }

    /// The tuned rules in float32: what every model but the renderer runs with.
    package static let standard = KernelSettings()

    /// Whether the large products run on bfloat16 inputs (natively or emulated).
    var productsUseBF16: Bool { precision == .bf16 }

    /// These settings with the large products in `precision`.
    package func with(precision: Precision) -> KernelSettings {
        var settings = self
        settings.precision = precision
        return settings
    }
}
