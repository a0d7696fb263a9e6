import DiffDubIO
import Foundation
import FuzzDriver

/// Parses the input as a per-frame landmark file and as a landmark table.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    guard let text = String(data: bytes, encoding: .utf8) else { return 0 }
    // Whatever is accepted is finite and inside the coordinate limit (issue 16: NUL bytes cut
    // numbers short, 1e30 and 3.4e38 were accepted).
    let limit = Float(ReaderLimits.standard.maximumLandmarkCoordinate)
    var accepted: [SIMD2<Float>] = []
    if let points = try? LandmarksFile.parsePoints(text, path: "fuzz.txt") { accepted += points.points }
    if let entries = try? LandmarksFile.parseTable(text, path: "fuzz.txt") {
        for entry in entries { accepted += entry.landmarks.points }
    }
    for p in accepted { precondition(p.x.isFinite && p.y.isFinite && abs(p.x) <= limit && abs(p.y) <= limit) }
    return 0
}

/// SwiftPM links an executable's `main` to `<Target>_main`: hand over to libFuzzer's driver.
@_cdecl("FuzzLandmarks_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    diffdub_fuzz_main(argc, argv, { fuzzOne($0, $1) })
}
