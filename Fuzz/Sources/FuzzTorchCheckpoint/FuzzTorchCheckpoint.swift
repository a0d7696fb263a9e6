import DiffDubIO
import Foundation
import FuzzDriver

/// Opens the input as a `torch.save` file (zip or legacy) and loads every tensor.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    if let checkpoint = try? TorchCheckpoint.open(data: bytes, path: "fuzz.ckpt") {
        for key in checkpoint.stateDict.keys { _ = try? checkpoint.stateDict[key]?.load() }
    }
    return 0
}

/// SwiftPM links an executable's `main` to `<Target>_main`: hand over to libFuzzer's driver.
@_cdecl("FuzzTorchCheckpoint_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    diffdub_fuzz_main(argc, argv, { fuzzOne($0, $1) })
}
