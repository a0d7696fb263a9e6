import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

@Suite struct TorchCheckpointTests {
    @Test func zipAndLegacyStage2CheckpointsHoldTheSameTensors() throws {
        let zip = try TorchCheckpoint.open(Fixtures.url("stage2/stage2.ckpt"))
        let legacy = try TorchCheckpoint.open(Fixtures.url("stage2/stage2_legacy.ckpt"))
        #expect(zip.format == .zip)
        #expect(legacy.format == .legacy)
        #expect(zip.stateDict.keys == legacy.stateDict.keys)
        for key in zip.stateDict.keys {
            let a = try #require(zip.stateDict[key])
            let b = try #require(legacy.stateDict[key])
            #expect(a.scalarType == b.scalarType, "\(key)")
            let x = try a.load()
            let y = try b.load()
            #expect(x.shape == y.shape, "\(key)")
            #expect(x.scalars == y.scalars, "\(key)")
        }
    }

    @Test(arguments: ["stage2/stage2.ckpt", "stage2/stage2_legacy.ckpt"])
    func stage2MatchesTheProbe(_ file: String) throws {
        let probe = try Fixtures.json("stage2/probe/probe.json")
        let keys = try #require(probe["keys"] as? [String])
        let weights = try TorchCheckpoint.stateDict(contentsOf: Fixtures.url(file))
        #expect(weights.source == Fixtures.url(file).path)
        #expect(weights.count == probe["tensor_count"] as? Int)
        #expect(weights.floatParameterCount == probe["float_parameter_count"] as? Int)
        for (index, key) in keys.enumerated() {
            let expected = try Fixtures.tensor("stage2/probe/\(index).npy")
            let record = try #require(weights[key], "missing \(key)")
            let actual = try record.load()
            #expect(actual.shape == expected.shape, "\(key)")
            #expect(actual.scalars == expected.scalars, "\(key)")
        }
    }

    @Test func int64BuffersAreConvertedToFloat() throws {
        let weights = try TorchCheckpoint.stateDict(contentsOf: Fixtures.url("stage2/stage2.ckpt"))
        let counters = weights.keys.filter { $0.hasSuffix("num_batches_tracked") }
        #expect(!counters.isEmpty)
        for key in counters {
            let record = try #require(weights[key])
            #expect(record.scalarType == .int64)
            #expect(record.shape == [])
            #expect(try record.load().count == 1)
        }
    }

    @Test func stage1MatchesTheProbe() throws {
        let probe = try Fixtures.json("stage1/probe.json")
        let checkpoint = try TorchCheckpoint.open(Fixtures.url("stage1/stage1.ckpt"))
        let weights = checkpoint.stateDict
        #expect(weights.count == probe["tensor_count"] as? Int)
        let ema = weights.selecting(prefix: "ema_model.")
        #expect(ema.count == probe["ema_tensor_count"] as? Int)
        #expect(ema.floatParameterCount == probe["ema_float_parameter_count"] as? Int)
        #expect(weights["x_T"]?.shape == [4, 3, 32, 32])
        // Lightning extras stay readable values next to the state dict.
        #expect(checkpoint.root["epoch"]?.intValue == 3)
        #expect(checkpoint.root["hyper_parameters"]?["name"]?.stringValue == "tiny")
    }

    @Test func float32TensorsBorrowTheMappedFile() throws {
        let weights = try TorchCheckpoint.stateDict(contentsOf: Fixtures.url("stage1/stage1.ckpt"))
        let record = try #require(weights["ema_model.input_blocks.0.0.weight"])
        var tensor = try record.load()
        let before = tensor.scalars
        // Writing into a tensor that borrows read-only mapped memory must copy first.
        tensor.withUnsafeMutableBufferPointer { $0[0] += 1 }
        #expect(try record.load().scalars == before)
    }
}
