import DiffDubCore
import Foundation

/// A checkpoint file (`torch.save` zip or legacy, safetensors) could not be read.
///
/// Every case names the file; the description is one line saying what is wrong.
package enum CheckpointError: LocalizedError, CustomStringConvertible, Equatable {
    /// The file could not be opened, mapped or written.
    case io(path: String, reason: String)
    /// The file is none of the formats this reader knows.
    case unrecognizedFormat(path: String, reason: String)
    /// The file ends before a structure it announces (`what` says which).
    case truncated(path: String, what: String)
    /// The zip container is inconsistent (bad signature, offsets outside the file).
    case malformedZip(path: String, reason: String)
    /// A zip entry the reader needs is compressed (torch writes them stored, method 0).
    case compressedEntry(path: String, entry: String, method: Int)
    /// A record the pickle refers to is not in the file (`data/17`, `data.pkl`).
    case missingRecord(path: String, name: String)
    /// The file was written on a big-endian machine.
    case bigEndian(path: String)
    /// A storage or dtype name this reader does not convert (`torch.ComplexFloatStorage`, `U16`).
    case unsupportedStorage(path: String, type: String)
    /// The pickle holds an opcode this reader does not implement.
    case unknownOpcode(path: String, opcode: UInt8, offset: Int)
    /// The pickle is structurally wrong at `offset` (stack underflow, bad argument).
    case malformedPickle(path: String, offset: Int, reason: String)
    /// The pickle exceeds a documented limit (memo size, stack size, nesting depth).
    case limitExceeded(path: String, reason: String)
    /// A tensor's offset, shape and strides reach outside its storage, or are invalid.
    case tensorOutOfBounds(path: String, key: String, reason: String)
    /// A safetensors header is not valid JSON or has an inconsistent entry.
    case malformedSafeTensors(path: String, reason: String)
    /// The pickle names a global outside ``PickleGlobals`` (`posix.system`, `builtins.eval`):
    /// the file is refused, as PyTorch's `weights_only` loading refuses it.
    case forbiddenGlobal(path: String, module: String, name: String, offset: Int)

    /// The same line as ``description``: what `localizedDescription` shows.
    package var errorDescription: String? { description }

    /// One line naming the file and the problem.
    package var description: String {
        switch self {
        case .io(let path, let reason): "\(path): \(reason)"
        case .unrecognizedFormat(let path, let reason): "\(path): not a checkpoint this tool reads (\(reason))"
        case .truncated(let path, let what): "\(path): truncated file: \(what)"
        case .malformedZip(let path, let reason): "\(path): malformed zip archive: \(reason)"
        case .compressedEntry(let path, let entry, let method):
            "\(path): zip entry '\(entry)' is compressed (method \(method)); only stored entries are supported"
        case .missingRecord(let path, let name): "\(path): missing record '\(name)'"
        case .bigEndian(let path): "\(path): big-endian checkpoints are not supported"
        case .unsupportedStorage(let path, let type): "\(path): unsupported storage type '\(type)'"
        case .unknownOpcode(let path, let opcode, let offset):
            "\(path): unknown pickle opcode 0x\(String(opcode, radix: 16, uppercase: true).leftPadded(to: 2)) at offset \(offset)"
        case .malformedPickle(let path, let offset, let reason):
            "\(path): malformed pickle at offset \(offset): \(reason)"
        case .limitExceeded(let path, let reason): "\(path): pickle exceeds a reader limit: \(reason)"
        case .tensorOutOfBounds(let path, let key, let reason): "\(path): tensor '\(key)': \(reason)"
        case .malformedSafeTensors(let path, let reason): "\(path): malformed safetensors file: \(reason)"
        case .forbiddenGlobal(let path, let module, let name, let offset):
            "\(path): the pickle names the global \(module).\(name) (offset \(offset)), which is not "
                + "allowed in a checkpoint (in Python, loading it could run code); refusing the file"
        }
    }

}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
