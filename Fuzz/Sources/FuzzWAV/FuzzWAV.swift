import DiffDubCore
import DiffDubIO
import Foundation
import FuzzDriver

/// Decodes the input as an audio file (WAV and the other formats of libsndfile), then
/// resamples up to a second of it to 16 kHz as `diffdub hubert` does. A decoded clip must have
/// finite samples and a rate inside ReaderLimits' range; the resampler must refuse absurd ratios
/// with an error instead of allocating (the 0x7FFFFFFF-Hz finding of issue 16).
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    guard let clip = try? AudioFile.decode(bytes, path: "fuzz.wav") else { return 0 }
    let limits = ReaderLimits.standard  // what AudioFile.decode applies by default
    precondition(NonFiniteScan.firstIndex(in: clip.samples) == nil, "non-finite sample accepted")
    precondition(clip.sampleRate >= limits.minimumAudioSampleRate && clip.sampleRate <= limits.maximumAudioSampleRate)
    if let resampler = try? BandLimitedResampler(inputRate: clip.sampleRate, outputRate: 16_000) {
        _ = resampler(Array(clip.mono().samples.prefix(clip.sampleRate)))
    }
    return 0
}

/// SwiftPM links an executable's `main` to `<Target>_main`: hand over to libFuzzer's driver.
@_cdecl("FuzzWAV_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    diffdub_fuzz_main(argc, argv, { fuzzOne($0, $1) })
}
