import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

@Suite struct SafeTensorsFileTests {
    @Test func roundTripsTensorsAndMetadata() throws {
        var generator = SeededGenerator(seed: 7)
        let tensors: [String: Tensor] = [
            "a.weight": Tensor.random([3, 5], using: &generator),
            "a.bias": Tensor.random([5], using: &generator),
            "scalar": Tensor(scalar: 2.5),
            "empty": Tensor(zeros: [0, 3]),
        ]
        let url = try temporaryFolder().appendingPathComponent("model.safetensors")
        try SafeTensorsFile.write(tensors, metadata: ["format": "pt", "source": "test"], to: url)
        let (weights, metadata) = try SafeTensorsFile.open(url)
        #expect(metadata == ["format": "pt", "source": "test"])
        #expect(weights.source == url.path)
        #expect(Set(weights.keys) == Set(tensors.keys))
        for (name, tensor) in tensors {
            let record = try #require(weights[name])
            #expect(record.scalarType == .float32)
            let loaded = try record.load()
            #expect(loaded.shape == tensor.shape, "\(name)")
            #expect(loaded.scalars == tensor.scalars, "\(name)")
        }
        // The header is padded so the data starts 8-byte aligned.
        let bytes = try Data(contentsOf: url)
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
        #expect(try WeightFile.format(of: url) == .safetensors)
    }

    @Test(arguments: ["stage2/stage2.ckpt", "stage2/stage2_legacy.ckpt"])
    func convertsAFixtureCheckpoint(_ file: String) throws {
        let source = try TorchCheckpoint.stateDict(contentsOf: Fixtures.url(file))
        var tensors: [String: Tensor] = [:]
        for key in source.keys { tensors[key] = try source[key]?.load() }
        let url = try temporaryFolder().appendingPathComponent("stage2.safetensors")
        try SafeTensorsFile.write(tensors, to: url)
        let converted = try SafeTensorsFile.stateDict(contentsOf: url)
        #expect(converted.keys == source.keys)
        let probe = try Fixtures.json("stage2/probe/probe.json")
        let keys = try #require(probe["keys"] as? [String])
        for (index, key) in keys.enumerated() {
            let expected = try Fixtures.tensor("stage2/probe/\(index).npy")
            #expect(try converted[key]?.load().scalars == expected.scalars, "\(key)")
        }
    }

    /// A safetensors file built by hand: header JSON then data.
    private func handMade(_ header: String, data: [UInt8]) throws -> URL {
        let json = Array(header.utf8)
        let bytes = littleEndianBytes([UInt64(json.count)]) + json + data
        return try temporaryFile("hand.safetensors", Data(bytes))
    }

    @Test func readsHalfPrecisionAndIntegerTypes() throws {
        let half = littleEndianBytes([Float16(1.5), Float16(-0.25)].map(\.bitPattern))
        let bfloat = littleEndianBytes([Float(3), -1].map { UInt16($0.bitPattern >> 16) })
        let long = littleEndianBytes([Int64(-4)])
        let header = """
            {"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},\
            "b":{"dtype":"BF16","shape":[2,1],"data_offsets":[4,8]},\
            "l":{"dtype":"I64","shape":[],"data_offsets":[8,16]}}
            """
        let weights = try SafeTensorsFile.stateDict(contentsOf: try handMade(header, data: half + bfloat + long))
        #expect(weights["h"]?.scalarType == .float16)
        #expect(try weights["h"]?.load().scalars == [1.5, -0.25])
        #expect(try weights["b"]?.load().scalars == [3, -1])
        #expect(try weights["b"]?.load().shape == [2, 1])
        #expect(try weights["l"]?.load().scalars == [-4])
        #expect(weights.floatParameterCount == 4)
    }

    @Test func inconsistentHeadersAreTypedErrors() throws {
        let data = [UInt8](repeating: 0, count: 16)
        let headers = [
            #"{"t":{"dtype":"F32","shape":[5],"data_offsets":[0,20]}}"#,  // past the data
            #"{"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#,  // shape and offsets disagree
            #"{"t":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#,  // reversed offsets
            #"{"t":{"dtype":"U16","shape":[2],"data_offsets":[0,4]}}"#,  // unsupported dtype
            #"{"t":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#,  // negative extent
            #"{"t":{"dtype":"F32"}}"#,  // fields missing
            #"[1, 2]"#,  // not an object
            #"{"t":"#,  // not JSON
        ]
        for header in headers {
            #expect(throws: CheckpointError.self, "\(header)") {
                try SafeTensorsFile.stateDict(contentsOf: try handMade(header, data: data))
            }
        }
        // A header length larger than the file.
        let url = try temporaryFile("long.safetensors", Data(littleEndianBytes([UInt64(1000)]) + [0x7B]))
        #expect(throws: CheckpointError.self) { try SafeTensorsFile.stateDict(contentsOf: url) }
    }
}
