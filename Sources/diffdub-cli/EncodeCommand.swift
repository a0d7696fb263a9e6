import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `diffdub encode`: images to stage-1 style latents with the semantic encoder.
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode face images to lip latents with the stage-1 semantic encoder.",
        discussion: """
            Loads the renderer's EMA weights (ema_model.*) from the stage-1 checkpoint, infers its \
            configuration from the tensor shapes, and runs the semantic encoder.

            --input is a .npy array [N, 3, S, S] (or [3, S, S]) of float images in [-1, 1], \
            S being the model's image size (256 for the released model), or a PNG image, resized \
            to S x S (OpenCV-compatible bilinear) and normalised to [-1, 1] as the original \
            ((x / 255 - 0.5) / 0.5). The output is a float32 .npy array [N, style] (style = 512 \
            released), written atomically.

            Examples:
              diffdub encode --stage1 stage1_state_dict.ckpt --input lips.npy --output latents.npy
              diffdub encode --stage1 stage1_state_dict.ckpt --input lip_crop.png --output latent.npy
              diffdub encode --stage1 small.ckpt --image-size 64 --input crops.npy --output c.npy
            """)

    @Option(help: "The stage-1 checkpoint (torch.save zip/legacy or safetensors).", completion: .file())
    var stage1: String

    @Option(help: "Images: .npy [N, 3, S, S] in [-1, 1], or a .png image.", completion: .file())
    var input: String

    @Option(help: "Where to write the latents (.npy, float32 [N, style]).", completion: .file())
    var output: String

    @Option(help: "Image size S, if it cannot be inferred from the checkpoint.")
    var imageSize: Int?

    @Flag(help: overwriteHelp)
    var overwrite = false

    func validate() throws {
        try requireFile(stage1, option: "--stage1")
        try requireFile(input, option: "--input")
        guard input.lowercased().hasSuffix(".npy") || input.lowercased().hasSuffix(".png") else {
            throw ValidationError("--input \(input): expected a .npy array [N, 3, S, S] or a .png image")
        }
        guard output.lowercased().hasSuffix(".npy") else {
            throw ValidationError("--output \(output): expected a .npy path")
        }
        if let imageSize { try OptionRange.check("--image-size", imageSize, OptionRange.imageSize) }
    }

    func run() throws {
        try checkOutput(output, inputs: [("stage-1 checkpoint", stage1), ("images", input)], overwrite: overwrite)
        // The tuned compute settings (threads, buffer pool) for every model call below.
        try ComputeSettings().run { try runModels() }
    }

    private func runModels() throws {
        let renderer = try Renderer(
            checkpoint: URL(fileURLWithPath: stage1), imageSize: imageSize, limits: .ofThisCommand)
        let s = renderer.imageSize
        let images: Tensor
        if input.lowercased().hasSuffix(".png") {
            var image = try PNGFile.read(URL(fileURLWithPath: input), limits: .ofThisCommand)
            if image.height != s || image.width != s { image = image.resizedBilinear(height: s, width: s) }
            images = image.normalizedTensor().reshaped([1, 3, s, s])
        } else {
            images = try readImages(input, imageSize: s, allowSingle: true)
        }
        let latents = try renderer.encode(images)
        try NumPyFile.write(latents, to: URL(fileURLWithPath: output))
    }
}
