import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `diffdub convert IN OUT.safetensors`: rewrites a checkpoint as safetensors.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write a checkpoint's tensors as a safetensors file, key names and dtypes unchanged.",
        discussion: """
            Reads any checkpoint the models load (torch.save .ckpt/.pth/.bin, zip or legacy, or \
            safetensors; recognised by content) and writes every tensor under its own name and in \
            its stored dtype (float32 stays F32, float16 F16). Non-tensor entries of a torch file \
            are dropped. The output is written under a temporary name and renamed when complete. \
            Every model (stage 1, stage 2, Hubert, the face detector and landmark model) loads the \
            result as it loads the original, memory-mapped and without unpickling.

            Examples:
              diffdub convert stage1_state_dict.ckpt stage1.safetensors
              diffdub convert pipnet_resnet18_10x68x32x256_300w.pth pipnet.safetensors
            """)

    @Argument(help: "The checkpoint to convert.", completion: .file())
    var input: String

    @Argument(
        help: "The safetensors file to write (an existing file is replaced only with --overwrite).",
        completion: .file(extensions: ["safetensors"]))
    var output: String

    @Flag(help: overwriteHelp)
    var overwrite = false

    func validate() throws {
        try requireFile(input, option: "IN")
        guard URL(fileURLWithPath: output).pathExtension == "safetensors" else {
            throw ValidationError("OUT \(output): the output's name should end in .safetensors")
        }
    }

    func run() throws {
        try checkOutput(output, inputs: [("checkpoint", input)], overwrite: overwrite)
        let conversion = try WeightFile.convertToSafeTensors(
            URL(fileURLWithPath: input), output: URL(fileURLWithPath: output))
        let megabytes = String(format: "%.1f", Double(conversion.dataBytes) / 1_048_576)
        print("\(output): \(conversion.tensorCount) tensors, \(megabytes) MB (from \(conversion.inputFormat.rawValue))")
    }
}
