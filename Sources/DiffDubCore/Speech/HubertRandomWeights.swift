/// Random weights for a Hubert model of any configuration, with exactly the key names and
/// shapes of an HF `HubertModel` checkpoint (current `parametrizations.weight.original0/1`
/// naming of the positional convolution's weight norm), for tests and benchmarks at
/// released sizes without downloading 1.3 GB.
///
/// Values are reproducible from `seed`: matrices and convolution weights uniform in
/// `±1 / sqrt(fan_in)` (PyTorch's default scale), biases uniform in `±0.02`, norm scales 1
/// and shifts 0, weight-norm magnitudes `g` uniform in `[0.5, 1.5]`. Tensors are generated
/// lazily, when a model binds them.
public enum HubertRandomWeights {
    /// A state dict for `configuration` (see the type's documentation).
    public static func stateDict(configuration c: HubertConfiguration, seed: UInt64 = 0) -> StateDict {
        var records: [String: TensorRecord] = [:]
        var nextSeed = seed
        func uniform(_ key: String, _ shape: [Int], _ bound: Float, offset: Float = 0) {
            nextSeed &+= 0x9E37_79B9_7F4A_7C15
            let seed = nextSeed
            records[key] = TensorRecord(scalarType: .float32, shape: shape) {
                randomUniformTensor(shape: shape, bound: bound, offset: offset, seed: seed)
            }
        }
        func constant(_ key: String, _ shape: [Int], _ value: Float) {
            records[key] = TensorRecord(scalarType: .float32, shape: shape) {
                Tensor(shape: shape, repeating: value)
            }
        }
        func norm(_ prefix: String, _ width: Int) {
            constant(prefix + ".weight", [width], 1)
            constant(prefix + ".bias", [width], 0)
        }
        func linear(_ prefix: String, _ output: Int, _ input: Int) {
            uniform(prefix + ".weight", [output, input], 1 / Float(input).squareRoot())
            uniform(prefix + ".bias", [output], 0.02)
        }

        var channels = 1
        for i in c.convDim.indices {
            let prefix = "feature_extractor.conv_layers.\(i)"
            let fanIn = channels * c.convKernel[i]
            uniform(prefix + ".conv.weight", [c.convDim[i], channels, c.convKernel[i]], 1 / Float(fanIn).squareRoot())
            if c.convBias { uniform(prefix + ".conv.bias", [c.convDim[i]], 0.02) }
            if c.featExtractNorm == .layer || i == 0 { norm(prefix + ".layer_norm", c.convDim[i]) }
            channels = c.convDim[i]
        }
        if c.featProjLayerNorm { norm("feature_projection.layer_norm", channels) }
        linear("feature_projection.projection", c.hiddenSize, channels)

        let h = c.hiddenSize
        let positional = "encoder.pos_conv_embed"
        let perGroup = h / c.numConvPosEmbeddingGroups
        uniform(positional + ".conv.parametrizations.weight.original0", [1, 1, c.numConvPosEmbeddings], 0.5, offset: 1)
        uniform(
            positional + ".conv.parametrizations.weight.original1", [h, perGroup, c.numConvPosEmbeddings],
            1 / Float(perGroup * c.numConvPosEmbeddings).squareRoot())
        uniform(positional + ".conv.bias", [h], 0.02)
        if c.convPosBatchNorm {
            norm(positional + ".batch_norm", h)
            constant(positional + ".batch_norm.running_mean", [h], 0)
            constant(positional + ".batch_norm.running_var", [h], 1)
        }
        norm("encoder.layer_norm", h)
        for i in 0..<c.numHiddenLayers {
            let prefix = "encoder.layers.\(i)"
            for projection in ["q_proj", "k_proj", "v_proj", "out_proj"] {
                linear(prefix + ".attention." + projection, h, h)
            }
            norm(prefix + ".layer_norm", h)
            linear(prefix + ".feed_forward.intermediate_dense", c.intermediateSize, h)
            linear(prefix + ".feed_forward.output_dense", h, c.intermediateSize)
            norm(prefix + ".final_layer_norm", h)
        }
        return StateDict(source: "random Hubert weights (seed \(seed))", records: records)
    }
}

/// Uniform values in `offset ± bound` from a SplitMix64 stream started at `seed`.
private func randomUniformTensor(shape: [Int], bound: Float, offset: Float, seed: UInt64) -> Tensor {
    var generator = SplitMix64(seed: seed)
    let count = Tensor.elementCount(of: shape)
    var scalars = [Float](repeating: 0, count: count)
    for i in 0..<count {
        scalars[i] = offset + bound * generator.nextSignedUnitFloat()
    }
    return Tensor(shape: shape, scalars: scalars)
}
