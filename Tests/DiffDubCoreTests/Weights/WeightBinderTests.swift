import DiffDubCore
import TestSupport
import Testing

/// `WeightBinder` over a state dict (strict) and over random weights (one initialisation rule,
/// values from the seed and the key), and what it records.
@Suite struct WeightBinderTests {
    @Test func randomTensorsFollowTheRuleAndDependOnSeedAndKeyOnly() throws {
        let a = WeightBinder(randomSeed: 3)
        let weight = try a.scoped("layer").tensor("weight", shape: [64, 100], .fanIn(100))
        let ones = try a.tensor("scale", shape: [5], .ones)
        let zeros = try a.tensor("shift", shape: [5], .zeros)
        #expect(weight.shape == [64, 100])
        let bound = 1 / Float(100).squareRoot()
        #expect(weight.scalars.allSatisfy { abs($0) <= bound })
        #expect(weight.scalars.max()! > 0.8 * bound && weight.scalars.min()! < -0.8 * bound)
        #expect(ones.scalars == [1, 1, 1, 1, 1] && zeros.scalars == [0, 0, 0, 0, 0])

        // Another binder, another order: the same key and seed give the same values.
        let b = WeightBinder(randomSeed: 3)
        _ = try b.tensor("other", shape: [7], .fanIn(7))
        #expect(try b.tensor("layer.weight", shape: [64, 100], .fanIn(100)).scalars == weight.scalars)
        #expect(try b.tensor("layer.bias", shape: [64, 100], .fanIn(100)).scalars != weight.scalars)
        #expect(
            try WeightBinder(randomSeed: 4).tensor("layer.weight", shape: [64, 100], .fanIn(100)).scalars
                != weight.scalars)
    }

    @Test func randomBindingRecordsEveryTensorInItsStoredType() throws {
        let weights = WeightBinder(randomSeed: 1)
        let norm = try BatchNorm1d(weights.scoped("norm"), channels: 4)
        _ = try Linear(weights.scoped("proj"), in: 4, out: 2, bias: false)
        let recorded = weights.boundStateDict
        #expect(
            recorded.keys == [
                "norm.bias", "norm.num_batches_tracked", "norm.running_mean", "norm.running_var", "norm.weight",
                "proj.weight",
            ])
        #expect(recorded["norm.num_batches_tracked"]?.scalarType == .int64)
        #expect(try recorded["norm.weight"]?.load().scalars == norm.weight.scalars)
        try weights.finish()  // nothing to check for random weights

        // The recording binds back strictly.
        let back = WeightBinder(recorded)
        _ = try BatchNorm1d(back.scoped("norm"), channels: 4)
        _ = try Linear(back.scoped("proj"), in: 4, out: 2, bias: false)
        try back.finish()
    }

    @Test func randomWeightsHaveNoStoredShapes() {
        let weights = WeightBinder(randomSeed: 1).scoped("head")
        #expect(throws: WeightError.self) { try weights.requireShape(of: "weight") }
        #expect(weights.childNames().isEmpty && !weights.contains("weight"))
    }

    @Test func stateDictBindingIsStrict() throws {
        let dict = StateDict(
            source: "m.ckpt",
            records: [
                "a.weight": TensorRecord(Tensor(zeros: [2, 3])), "a.bias": TensorRecord(Tensor(zeros: [2])),
                "b.weight": TensorRecord(Tensor(zeros: [1])),
            ])
        #expect(throws: WeightError.shapeMismatch(key: "a.weight", expected: [3, 3], found: [2, 3], source: "m.ckpt")) {
            try Linear(WeightBinder(dict).scoped("a"), in: 3, out: 3)
        }
        #expect(throws: WeightError.missing(key: "c.weight", source: "m.ckpt")) {
            try Linear(WeightBinder(dict).scoped("c"), in: 3, out: 2)
        }
        let weights = WeightBinder(dict)
        _ = try Linear(weights.scoped("a"), in: 3, out: 2)
        #expect(throws: WeightError.unexpected(keys: ["b.weight"], source: "m.ckpt")) { try weights.finish() }
        try weights.scoped("a").finish()
        #expect(weights.boundStateDict.keys == ["a.bias", "a.weight"])
        #expect(WeightError.missing(key: "k", source: "m.ckpt").localizedDescription == "m.ckpt: missing tensor 'k'")
    }
}
