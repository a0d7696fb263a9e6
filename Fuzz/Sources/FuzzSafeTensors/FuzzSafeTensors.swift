import DiffDubIO
import Foundation
import FuzzDriver

/// Opens the input as a safetensors file and loads every tensor.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    if let (stateDict, _) = try? SafeTensorsFile.open(MappedFile(copying: bytes, path: "fuzz.safetensors")) {
        for key in stateDict.keys { _ = try? stateDict[key]?.load() }
    }
    return 0
}

/// SwiftPM links an executable's `main` to `<Target>_main`: hand over to libFuzzer's driver.
@_cdecl("FuzzSafeTensors_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    diffdub_fuzz_main(argc, argv, { fuzzOne($0, $1) })
}
