import DiffDubCore
import DiffDubIO
import Foundation
import FuzzDriver

/// Decodes the input as a `.npy` file (the header's Python-literal parser, dtype spellings,
/// byte swapping, widening and Fortran reordering) and converts it to a tensor, then scans it
/// for non-finite values.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    if let array = try? NumPyFile.decode(bytes, path: "fuzz.npy") {
        precondition(array.bytes.count == array.elementCount * array.scalarType.byteSize)
        _ = array.tensor().firstNonFinite()
    }
    return 0
}

/// SwiftPM links an executable's `main` to `<Target>_main`: hand over to libFuzzer's driver.
@_cdecl("FuzzNumPy_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    diffdub_fuzz_main(argc, argv, { fuzzOne($0, $1) })
}
