/// The style condition projected for every conditioned ``ResBlock`` of a ``UNet``:
/// `1 + cond_emb_layers(SiLU(cond))` per block, `[N, out, 1, 1]` each.
///
/// It depends only on `cond`, so a sampler computes it once per render
/// (``UNet/prepareCondition(_:)``) and passes it to every step.
package struct PreparedCondition: Sendable {
    /// Per-block scale factors, indexed by ``ResBlock/Conditioning/slot``.
    package let scales: [Tensor]
    /// Batch size N.
    package let batchSize: Int

    /// A prepared condition from its per-block factors.
    package init(scales: [Tensor], batchSize: Int) {
        self.scales = scales
        self.batchSize = batchSize
    }
}

/// What every conditioned block of one UNet call reads: `SiLU(time_embed(t))` (shared by
/// all blocks, whose `emb_layers` start with a SiLU) and the prepared condition.
package struct UNetStep: Sendable {
    /// `SiLU(time_embed(sinusoid(t)))`, `[N, embed]`.
    package let siluTimeEmbedding: Tensor
    /// The per-block style factors.
    package let condition: PreparedCondition

    /// A step from its parts.
    package init(siluTimeEmbedding: Tensor, condition: PreparedCondition) {
        self.siluTimeEmbedding = siluTimeEmbedding
        self.condition = condition
    }
}
