import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `diffdub inspect FILE`: lists the tensors of a checkpoint.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List the tensors of a checkpoint (name, dtype, shape) and count its parameters.",
        discussion: """
            Reads torch.save files (.ckpt, .pth, .pt, .bin; zip and legacy formats) without Python, \
            safetensors files and NumPy .npy arrays. For torch files the tensors are those of the \
            'state_dict' entry (or of the top-level dict). The parameter count is the number of \
            floating-point elements.

            Examples:
              diffdub inspect stage1_state_dict.ckpt
              diffdub inspect stage1_state_dict.ckpt --prefix ema_model.encoder.
              diffdub inspect model.safetensors --json > tensors.json
            """)

    @Argument(help: "The checkpoint, safetensors or .npy file.", completion: .file())
    var file: String

    @Option(help: "Only list tensors whose name starts with this prefix (e.g. 'ema_model.').")
    var prefix: String?

    @Flag(help: "Print JSON: {file, format, tensors: [{name, dtype, shape}], tensor_count, parameter_count}.")
    var json = false

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ValidationError("\(file): no such file")
        }
        if let prefix, prefix.isEmpty { throw ValidationError("--prefix must not be empty") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: file)
        let (format, stateDict) = try WeightFile.stateDict(contentsOf: url, limits: .ofThisCommand)
        let selected = stateDict.keys.filter { prefix.map($0.hasPrefix) ?? true }
        let summary = InspectSummary(
            file: file, format: format.rawValue,
            tensors: selected.compactMap { name in
                stateDict[name].map {
                    InspectSummary.Entry(name: name, dtype: $0.scalarType.rawValue, shape: $0.shape)
                }
            },
            tensorCount: selected.count,
            parameterCount: selected.reduce(0) { total, name in
                guard let record = stateDict[name], record.scalarType.isFloatingPoint else { return total }
                return total + record.elementCount
            })
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(summary.table())
        }
    }
}

/// What `inspect` reports, in the shape of its `--json` output.
struct InspectSummary: Encodable {
    struct Entry: Encodable {
        var name: String
        var dtype: String
        var shape: [Int]
    }

    var file: String
    var format: String
    var tensors: [Entry]
    var tensorCount: Int
    var parameterCount: Int

    enum CodingKeys: String, CodingKey {
        case file, format, tensors
        case tensorCount = "tensor_count"
        case parameterCount = "parameter_count"
    }

    /// Aligned columns, then a summary line.
    func table() -> String {
        let shapes = tensors.map { "[" + $0.shape.map(String.init).joined(separator: ", ") + "]" }
        let nameWidth = max(4, tensors.map(\.name.count).max() ?? 0)
        let typeWidth = max(5, tensors.map(\.dtype.count).max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String {
            text + String(repeating: " ", count: max(0, width - text.count))
        }
        var lines = [pad("name", nameWidth) + "  " + pad("dtype", typeWidth) + "  shape"]
        for (entry, shape) in zip(tensors, shapes) {
            lines.append(pad(entry.name, nameWidth) + "  " + pad(entry.dtype, typeWidth) + "  " + shape)
        }
        let noun = tensorCount == 1 ? "tensor" : "tensors"
        lines.append("\(file) (\(format)): \(tensorCount) \(noun), \(parameterCount) parameters")
        return lines.joined(separator: "\n")
    }
}
