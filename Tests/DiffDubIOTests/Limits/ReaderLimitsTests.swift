import DiffDubCore
import DiffDubIO
import Foundation
import TestSupport
import Testing

@Suite struct ReaderLimitsTests {
    @Test func environmentOverridesPositiveIntegersOnly() {
        let limits = ReaderLimits.fromEnvironment([
            "DIFFDUB_MAX_IMAGE_PIXELS": "400000000",
            "DIFFDUB_MAX_ZIP_ENTRIES": "-3",
            "DIFFDUB_MAX_PICKLE_NESTING": "lots",
        ])
        #expect(limits.maximumImagePixels == 400_000_000)
        #expect(limits.maximumZipEntries == ReaderLimits.standard.maximumZipEntries)
        #expect(limits.maximumPickleNesting == ReaderLimits.standard.maximumPickleNesting)
    }

    @Test func everyLimitHasAnEnvironmentVariable() {
        var changed = ReaderLimits.standard
        for (_, keyPath) in ReaderLimits.environmentVariables { changed[keyPath: keyPath] += 1 }
        let names = ReaderLimits.environmentVariables.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(changed != ReaderLimits.standard)
        let environment = Dictionary(uniqueKeysWithValues: ReaderLimits.environmentVariables.map {
            ($0.name, String(changed[keyPath: $0.keyPath]))
        })
        #expect(ReaderLimits.fromEnvironment(environment) == changed)
    }

    /// Limits are a value handed to each reader: two reads of one file with different limits,
    /// at the same time, each keep their own (nothing process-wide to set or to leak).
    @Test func eachReaderKeepsTheLimitsItIsGiven() async throws {
        let folder = try TemporaryDirectory()
        let image = folder.url.appendingPathComponent("frame.png")
        try PNGFile.write(RGBImage(height: 30, width: 40, red: 7), to: image)
        let array = folder.url.appendingPathComponent("array.npy")
        try NumPyFile.write(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]), to: array)
        var tight = ReaderLimits.standard
        tight.maximumImagePixels = 40 * 30 - 1
        tight.maximumNumPyHeaderLength = 8
        let narrow = tight
        async let refusedImage = Result { try PNGFile.read(image, limits: narrow) }
        async let readImage = Result { try PNGFile.read(image) }
        async let refusedArray = Result { try NumPyFile.read(array, limits: narrow) }
        async let readArray = Result { try NumPyFile.read(array, limits: .standard) }
        let results = await (refusedImage, readImage, refusedArray, readArray)
        #expect(throws: ImageError.tooLarge(path: image.path, width: 40, height: 30, limit: 40 * 30 - 1)) {
            try results.0.get()
        }
        #expect(try results.1.get().width == 40)
        #expect(throws: NumPyError.self) { try results.2.get() }
        #expect(try results.3.get().shape == [2, 3])
    }
}
