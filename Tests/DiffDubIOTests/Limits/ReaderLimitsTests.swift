import DiffDubIO
import Foundation
import Testing

@Suite struct ReaderLimitsTests {
    @Test func environmentOverridesPositiveIntegersOnly() {
        let limits = ReaderLimits.fromEnvironment([
            "DIFFDUB_MAX_IMAGE_PIXELS": "400000000",
            "DIFFDUB_MAX_ZIP_ENTRIES": "-3",
            "DIFFDUB_MAX_PICKLE_NESTING": "lots",
        ])
        #expect(limits.maximumImagePixels == 400_000_000)
        #expect(limits.maximumZipEntries == ReaderLimits.defaults.maximumZipEntries)
        #expect(limits.maximumPickleNesting == ReaderLimits.defaults.maximumPickleNesting)
    }

    @Test func everyLimitHasAnEnvironmentVariable() {
        var changed = ReaderLimits.defaults
        for (_, keyPath) in ReaderLimits.environmentVariables { changed[keyPath: keyPath] += 1 }
        let names = ReaderLimits.environmentVariables.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(changed != ReaderLimits.defaults)
        let environment = Dictionary(uniqueKeysWithValues: ReaderLimits.environmentVariables.map {
            ($0.name, String(changed[keyPath: $0.keyPath]))
        })
        #expect(ReaderLimits.fromEnvironment(environment) == changed)
    }
}
