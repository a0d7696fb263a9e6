import DiffDubIO
import Foundation
import FuzzDriver

/// Parses the input as a per-frame landmark file and as a landmark table.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    guard let text = String(data: bytes, encoding: .utf8) else { return 0 }
    _ = try? LandmarksFile.parsePoints(text, path: "fuzz.txt")
    _ = try? LandmarksFile.parseTable(text, path: "fuzz.txt")
    return 0
}

/// SwiftPM links an executable's `main` to `<Target>_main`: hand over to libFuzzer's driver.
@_cdecl("FuzzLandmarks_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    diffdub_fuzz_main(argc, argv, { fuzzOne($0, $1) })
}
