/// The layout of one of a Winograd band's `alpha^2` transformed-input matrices `[C, tiles]`:
/// panels of consecutive tiles, each stored row by row (`[C][panel width]`), one after the
/// other.
///
/// With the packed kernel (``PackedProducts/isAvailable``) the tiles are padded with zeros to a
/// multiple of 8 and cut into panels of 24 (the last one 8, 16 or 24 wide), the layout the
/// kernel reads; for the bfloat16 products (``BF16Products``, which repack each panel as
/// bfloat16 pairs) to a multiple of 16 in panels of 32 (the last one 16 or 32 wide); otherwise
/// the whole matrix is one panel (a plain row-major `[C, tiles]` matrix for `sgemm`).
struct WinogradPanels {
    /// Rows of each matrix (input channels).
    let channels: Int
    /// Tiles that hold data.
    let tiles: Int
    /// Tiles including the zero padding: columns of each matrix.
    let paddedTiles: Int
    /// Width of every panel but possibly the last.
    let panelWidth: Int

    /// The layout of `[channels, tiles]` matrices for this build's product kernel, or for the
    /// bfloat16 kernel when `bf16`.
    init(channels: Int, tiles: Int, bf16: Bool = false) {
        self.channels = channels
        self.tiles = tiles
        if bf16 {
            let granularity = BF16Products.columnGranularity
            paddedTiles = (tiles + granularity - 1) / granularity * granularity
            panelWidth = BF16Products.columnBlock
        } else if PackedProducts.isAvailable {
            let granularity = PackedProducts.columnGranularity
            paddedTiles = (tiles + granularity - 1) / granularity * granularity
            panelWidth = PackedProducts.columnBlock
        } else {
            paddedTiles = tiles
            panelWidth = max(1, tiles)
        }
    }

    /// Number of panels.
    var panelCount: Int { (paddedTiles + panelWidth - 1) / panelWidth }

    /// Values in one matrix (`channels * paddedTiles`).
    var matrixCount: Int { channels * paddedTiles }

    /// First tile of panel `panel`.
    func firstTile(ofPanel panel: Int) -> Int { panel * panelWidth }

    /// Width of panel `panel`.
    func width(ofPanel panel: Int) -> Int { min(panelWidth, paddedTiles - panel * panelWidth) }

    /// Offset of panel `panel`'s first value in its matrix.
    func offset(ofPanel panel: Int) -> Int { panel * panelWidth * channels }
}
