import DiffDubCore
import DiffDubIO
import Foundation
import IOTestSupport
import TestSupport
import Testing

@Suite struct NumPyFileTests {
    @Test func readsFloatFixture() throws {
        let array = try Fixtures.array("stage2/audio.npy")
        #expect(array.scalarType == .float32)
        #expect(array.shape == [1, 25, 37, 32])
    }

    @Test func readsUInt8AndInt64Fixtures() throws {
        let frames = try Fixtures.array("pipeline/frames_out_uint8.npy")
        #expect(frames.scalarType == .uint8)
        #expect(frames.shape == [10, 32, 32, 3])
        let steps = try Fixtures.array("stage1/render_T7_timestep_map.npy")
        #expect(steps.int64Values == [0, 143, 286, 429, 572, 715, 858])
    }

    @Test func roundTripsEveryWrittenType() throws {
        let cases: [NumPyArray] = [
            NumPyArray(Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, 1e-8, 7])),
            NumPyArray(uint8: [0, 1, 255], shape: [3]),
            NumPyArray(int64: [-5, 1 << 40], shape: [2, 1]),
            NumPyArray(Tensor(scalar: 4)),
        ]
        for array in cases {
            let decoded = try NumPyFile.decode(NumPyFile.encode(array), path: "memory")
            #expect(decoded == array)
        }
    }

    @Test func readsTheFortranOrderedFixtureAsNumPyDoes() throws {
        let read = try NumPyFile.readTensor(Fixtures.url("stage2/downsampled.npy"))
        // The tests' own reader (FixtureArray) reorders Fortran-ordered arrays on its own.
        let reference = try Fixtures.tensor("stage2/downsampled.npy")
        #expect(read.shape == reference.shape && read.scalars == reference.scalars)
    }

    /// DiffDubCore's tests read the fixtures with `FixtureArray` (no DiffDubIO): it must read
    /// every fixture as `NumPyFile` does.
    @Test func theTestsOwnFixtureReaderAgreesOnEveryFixture() throws {
        let files = try #require(FileManager.default.enumerator(at: Fixtures.root, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "npy" }
        #expect(files.count > 100)
        for url in files {
            let real = try NumPyFile.read(url)
            let own = try FixtureArray(contentsOf: url)
            #expect(own.shape == real.shape, "\(url.lastPathComponent)")
            #expect(own.tensor().scalars == real.tensor().scalars, "\(url.lastPathComponent)")
            #expect(own.uint8Values == real.uint8Values, "\(url.lastPathComponent)")
            // (`NumPyArray.int64Values` converts every integer type; the tests' reader only `<i8`.)
            #expect(own.int64Values == (real.scalarType == .int64 ? real.int64Values : nil), "\(url.lastPathComponent)")
        }
    }

    @Test func readsFortranOrderAsNumPyDoes() throws {
        var data = NumPyFile.encode(NumPyArray(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])))
        let range = try #require(data.range(of: Data("False".utf8)))
        data.replaceSubrange(range, with: Array("True ".utf8))
        // Column-major storage of [[1, 3], [2, 4]].
        #expect(try NumPyFile.decode(data, path: "f.npy").tensor().scalars == [1, 3, 2, 4])
    }

    @Test func rejectsTruncatedDataAndBadMagic() {
        let data = NumPyFile.encode(NumPyArray(Tensor(zeros: [4, 4])))
        #expect(throws: NumPyError.self) { try NumPyFile.decode(data.prefix(data.count - 3), path: "t.npy") }
        #expect(throws: NumPyError.notNumPy(path: "x.npy")) { try NumPyFile.decode(Data("hello world".utf8), path: "x.npy") }
    }

    @Test func rejectsUnknownDType() throws {
        var data = NumPyFile.encode(NumPyArray(Tensor(zeros: [2])))
        let range = try #require(data.range(of: Data("<f4".utf8)))
        data.replaceSubrange(range, with: Array(">c8".utf8))
        #expect(throws: NumPyError.unsupportedDType(path: "d.npy", descr: ">c8")) {
            try NumPyFile.decode(data, path: "d.npy")
        }
    }
}
