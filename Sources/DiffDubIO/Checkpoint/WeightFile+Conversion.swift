import DiffDubCore
import Foundation

extension WeightFile {
    /// What ``convertToSafeTensors(_:output:)`` wrote.
    package struct Conversion: Sendable, Equatable {
        /// The format the input was recognised as.
        package var inputFormat: Format
        /// Number of tensors written.
        package var tensorCount: Int
        /// Bytes of tensor data written (the file adds its header).
        package var dataBytes: Int
    }

    /// Writes every tensor of the checkpoint at `input` (any format ``checkpoint(contentsOf:limits:)``
    /// reads) to the safetensors file `output`, with the key names unchanged.
    ///
    /// Each tensor keeps its stored type and values (float32 as F32, float16 as F16, the
    /// int64 BatchNorm counters as I64, ...); torch views with strides or storage offsets are
    /// written contiguous. For torch files these are the tensors of `state_dict` (or of the
    /// top-level dictionary); other pickled entries (epoch counters, optimiser state that is
    /// not a tensor) are not tensors and are dropped. `__metadata__` records
    /// `format: pt` (as Hugging Face writes it) and the input's file name and format.
    ///
    /// `output` is written atomically (temporary name in its folder, then a rename); it may
    /// not be `input` itself. A model loads the result exactly as the original file, with no
    /// unpickling, memory-mapped.
    ///
    /// - Throws: ``CheckpointError`` naming the file that cannot be read or written.
    @discardableResult
    package static func convertToSafeTensors(_ input: URL, output: URL) throws -> Conversion {
        guard input.standardizedFileURL.resolvingSymlinksInPath() != output.standardizedFileURL.resolvingSymlinksInPath()
        else {
            throw CheckpointError.io(path: output.path, reason: "the output would replace the checkpoint being converted")
        }
        let (format, stateDict) = try Self.stateDict(contentsOf: input)
        guard format != .npy else {
            throw CheckpointError.unrecognizedFormat(
                path: input.path, reason: "a NumPy array, not a model checkpoint (torch.save file or safetensors)")
        }
        let metadata = ["format": "pt", "converted_from": input.lastPathComponent, "source_format": format.rawValue]
        try SafeTensorsFile.write(stateDict, metadata: metadata, to: output)
        let bytes = stateDict.records.values.reduce(0) { $0 + $1.elementCount * $1.scalarType.byteSize }
        return Conversion(inputFormat: format, tensorCount: stateDict.count, dataBytes: bytes)
    }
}
