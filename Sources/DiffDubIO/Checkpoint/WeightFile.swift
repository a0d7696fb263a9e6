import DiffDubCore
import Foundation

/// Any file of tensors this package reads, recognised by its first bytes:
/// `torch.save` zip (`.ckpt`, `.pth`, `.pt`, `.bin`), `torch.save` legacy, safetensors, `.npy`.
///
/// ``checkpoint(contentsOf:limits:)`` is the one way every model of the package reads its weights
/// (`Renderer(checkpoint:)`, `LipLatentPredictor(checkpoint:)`, `HubertModel(modelFolder:)`,
/// `FaceBoxesDetector(checkpoint:)`, `PIPNetLandmarker(checkpoint:)`): the file's name and
/// extension do not matter, only its content. Every format is memory-mapped: contiguous,
/// aligned float32 tensors are used in place, other types are converted to `Float` when a
/// layer takes them. `diffdub convert` writes any checkpoint as safetensors, whose later loads
/// need no unpickling.
package enum WeightFile {
    /// The formats ``stateDict(contentsOf:limits:)`` reads.
    package enum Format: String, Sendable, CaseIterable {
        /// `torch.save` zip (PyTorch 1.6+).
        case torchZip = "torch-zip"
        /// `torch.save` legacy (before PyTorch 1.6).
        case torchLegacy = "torch-legacy"
        /// safetensors.
        case safetensors
        /// A NumPy `.npy` array (one tensor, named after the file).
        case npy
    }

    /// The format of the file at `url`, from its first bytes.
    ///
    /// - Throws: ``CheckpointError/unrecognizedFormat(path:reason:)`` for anything else.
    package static func format(of url: URL) throws -> Format {
        let file = try MappedFile(path: url.path)
        let head = Array(file.bytes.prefix(16))
        if head.starts(with: TorchCheckpoint.zipMagic) { return .torchZip }
        if head.starts(with: [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]) { return .npy }
        if head.count >= 2 && head[0] == 0x80 && head[1] <= 5 { return .torchLegacy }
        // safetensors: a plausible header length followed by '{'.
        if head.count >= 9 && head[8] == UInt8(ascii: "{") {
            let length = head.prefix(8).enumerated().reduce(UInt64(0)) {
                $0 | UInt64($1.element) << (8 * UInt64($1.offset))
            }
            if length <= UInt64(file.count - 8) { return .safetensors }
        }
        throw CheckpointError.unrecognizedFormat(
            path: file.path, reason: "expected a torch.save zip or legacy file, safetensors or .npy")
    }

    /// The tensors of the file at `url` and its format. For torch files these are the
    /// tensors of `state_dict` (or of the top level); for `.npy` one tensor named after the
    /// file (`weights.npy` -> `weights`). Read within `limits`.
    package static func stateDict(
        contentsOf url: URL, limits: ReaderLimits = .standard
    ) throws -> (format: Format, stateDict: StateDict) {
        let format = try format(of: url)
        switch format {
        case .torchZip, .torchLegacy:
            return (format, try TorchCheckpoint.stateDict(contentsOf: url, limits: limits))
        case .safetensors:
            return (format, try SafeTensorsFile.stateDict(contentsOf: url, limits: limits))
        case .npy:
            let array = try NumPyFile.read(url, limits: limits)
            let record = TensorRecord(scalarType: array.scalarType, shape: array.shape) { array.tensor() }
            let name = url.deletingPathExtension().lastPathComponent
            return (format, StateDict(source: url.path, records: [name: record]))
        }
    }

    /// The tensors of a model checkpoint at `url`: a `torch.save` file (zip or legacy; the
    /// `state_dict` entry if the top level is a dictionary holding one) or a safetensors file,
    /// recognised by content. Every error names the file.
    ///
    /// - Throws: ``CheckpointError`` when the file cannot be read, is of another format (a
    ///   `.npy` array holds one tensor, not a model), or is malformed.
    package static func checkpoint(contentsOf url: URL, limits: ReaderLimits = .standard) throws -> StateDict {
        let (format, stateDict) = try stateDict(contentsOf: url, limits: limits)
        guard format != .npy else {
            throw CheckpointError.unrecognizedFormat(
                path: url.path, reason: "a NumPy array, not a model checkpoint (torch.save file or safetensors)")
        }
        return stateDict
    }
}
