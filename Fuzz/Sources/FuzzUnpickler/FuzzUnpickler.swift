import DiffDubIO
import Foundation
import FuzzDriver

/// Decodes the input as one pickle.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    _ = try? Unpickler.load(bytes, path: "fuzz.pkl")
    return 0
}

/// SwiftPM links an executable's `main` to `<Target>_main`: hand over to libFuzzer's driver.
@_cdecl("FuzzUnpickler_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    diffdub_fuzz_main(argc, argv, { fuzzOne($0, $1) })
}
