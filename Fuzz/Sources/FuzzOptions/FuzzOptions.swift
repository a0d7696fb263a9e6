import DiffDubCore
import Foundation
import FuzzDriver

/// Option text and clip timestamps (issue 29): the input's lines are parsed as a frame range,
/// a face region, a frame rate and numbers set on every numeric option; the same bytes read as
/// float64 timestamps are checked against the clip timing limits. Nothing may trap, and what
/// the validators accept must be usable without overflow.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    let text = String(decoding: bytes, as: UTF8.self)
    let lines = text.split(whereSeparator: \.isNewline).map(String.init)
    let first = lines.first ?? ""

    if let range = FrameRange(parsing: first) {
        var options = DubbingOptions()
        options.frameRange = range
        if (try? options.validate()) != nil {
            _ = range.clamped(toCount: options.timingLimits.maximumFrames)
        }
    }
    if let region = FaceRegion(parsing: first) {
        // Accepted regions add up without overflow.
        precondition(region.x + region.size <= 2 * FaceRegion.maximumCoordinate)
        _ = region.fits(height: .max, width: .max)
    }
    if let rate = FrameRate(parsing: first) { precondition(rate.numerator > 0 && rate.denominator > 0) }

    let integers = lines.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    let doubles = lines.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    var options = DubbingOptions()
    var tracking = FaceTrackingOptions()
    if integers.count >= 6 {
        options.referenceFrame = integers[0]
        options.referenceCount = integers[1]
        options.steps = integers[2]
        options.batchSize = integers[3]
        tracking.smoothingRadius = integers[4]
        tracking.detectEvery = integers[5]
        tracking.choice = .index(integers[0])
        tracking.maximumGap = integers[1]
        tracking.regionSmoothingRadius = integers[2]
    }
    if let ratio = doubles.first { tracking.expandRatio = ratio }
    if (try? options.validate()) != nil {
        // The arithmetic the pipeline does on accepted values cannot overflow.
        let wanted = max(options.referenceCount, options.referenceFrame + 1)
        precondition(wanted >= 1)
    }
    if (try? tracking.validate()) != nil {
        precondition(tracking.expandRatio.isFinite && tracking.smoothingRadius <= 1000)
        let side = 1000.0 * (1 + tracking.expandRatio)
        precondition(side.isFinite && side < Double(Int.max))
    }

    // The bytes as little-endian float64 timestamps.
    let count = min(bytes.count / 8, 4096)
    let timestamps: [Double] = (0..<count).map { i in
        bytes.withUnsafeBytes { Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))) }
    }
    let timing = StreamTiming(timestamps: timestamps.filter(\.isFinite))
    for followsSource in [false, true] {
        try? ClipTimingLimits.standard.check(timing, input: "fuzz.mp4", rate: .model, followsSource: followsSource)
    }
    return 0
}

/// SwiftPM links an executable's `main` to `<Target>_main`: hand over to libFuzzer's driver.
@_cdecl("FuzzOptions_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    diffdub_fuzz_main(argc, argv, { fuzzOne($0, $1) })
}
