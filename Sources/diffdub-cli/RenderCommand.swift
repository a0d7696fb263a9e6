import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `diffdub render`: DDIM inpainting of frames with the stage-1 renderer.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render frames whose masked region follows lip latents (stage-1 DDIM inpainting).",
        discussion: """
            Runs the original's DDIM sampler (eta 0, clipped x0, float64 schedule respaced as \
            "ddimN") with the renderer's EMA weights. Before each step the pixels where the mask is 1 \
            are reset to --x-start; the UNet sees the noisy image and --reference.

            Arrays (.npy, float unless noted; S = the model's image size, N = number of frames):
              --x-start    [N, 3, S, S] in [-1, 1]   the frames (pixels to keep)
              --reference  [N or 1, 3, S, S] in [-1, 1]
              --mask       [S, S], [N, S, S, 1|3] (HWC, as the original) or [N, 1|3, S, S]; 1 = keep
              --latent     [N, style] (or [style] for one frame)
              --noise      [N or 1, 3, S, S] x_T; or --seed to draw one N(0, 1) image shared by all frames
            --steps must be a count "ddimN" accepts (e.g. 20, 7, 5, 10, 50; not 37).
            --precision bf16 runs the UNet's large products (Winograd, 1x1 convolutions, attention) on \
            bfloat16 inputs with float32 sums where that is faster on CPUs with AVX512_BF16 (the \
            128 -> 128 3x3 layers at 256 x 256 keep float32): a UNet call in about 0.83x the fp32 time \
            on a Zen 4, about 53 dB from the fp32 render (`diffdub --version` says whether this CPU has \
            it; elsewhere the same arithmetic is emulated, slower than fp32, and a note says so).
            --sampler dpmpp2m runs DPM-Solver++(2M) on the same timesteps instead (same masking and \
            clipping; --steps 10 with it is close to DDIM with 20).
            The output is [N, 3, S, S] in [0, 1] (float32 .npy), written atomically. An --output \
            ending in .png writes images instead, uint8(trunc(255 x)) as the original: OUT.png for \
            one frame, OUT_0000.png, OUT_0001.png, ... for several.

            Examples:
              diffdub render --stage1 stage1_state_dict.ckpt --x-start x.npy --reference ref.npy \\
                --mask mask.npy --latent c.npy --seed 0 --steps 20 --output out.npy
              diffdub render --stage1 s1.ckpt --x-start x.npy --reference r.npy --mask m.npy \\
                --latent c.npy --noise xT.npy --steps 7 --output out.npy
              diffdub render ... --seed 0 --sampler dpmpp2m --steps 10 --output out.npy
            """)

    @Option(help: "The stage-1 checkpoint.", completion: .file())
    var stage1: String

    @Option(name: .customLong("x-start"), help: "Frames .npy [N, 3, S, S] in [-1, 1].", completion: .file())
    var xStart: String

    @Option(help: "Reference frame(s) .npy [N or 1, 3, S, S] in [-1, 1].", completion: .file())
    var reference: String

    @Option(help: "Mask .npy, 1 = keep the frame's pixel.", completion: .file())
    var mask: String

    @Option(help: "Lip latents .npy [N, style].", completion: .file())
    var latent: String

    @Option(help: "Starting noise x_T .npy [N or 1, 3, S, S].", completion: .file())
    var noise: String?

    @Option(help: "Seed for the starting noise (one image shared by all frames), instead of --noise.")
    var seed: UInt64?

    @Option(help: "Number of DDIM steps.")
    var steps: Int = 20

    @Option(help: "Sampler: ddim (the original's) or dpmpp2m (DPM-Solver++(2M); 10 steps in place of 20).")
    var sampler: SamplerKind = .ddim

    @Option(help: "Arithmetic of the UNet's large products: fp32 (default) or bf16 (bfloat16 inputs, float32 sums).")
    var precision: Precision = .fp32

    @Option(
        name: .customLong("bf16-winograd-tile"),
        help: ArgumentHelp("Largest Winograd tile (2, 4 or 6) with --precision bf16 (measurements).", visibility: .hidden))
    var bf16WinogradTile: Int?

    @Option(help: "Where to write the frames (.npy [N, 3, S, S] in [0, 1], or .png images).", completion: .file())
    var output: String

    @Option(help: "Image size S, if it cannot be inferred from the checkpoint.")
    var imageSize: Int?

    @Flag(help: overwriteHelp)
    var overwrite = false

    @Flag(help: "Do not report progress on standard error.")
    var quiet = false

    func validate() throws {
        for (path, option) in [
            (stage1, "--stage1"), (xStart, "--x-start"), (reference, "--reference"), (mask, "--mask"),
            (latent, "--latent"),
        ] {
            try requireFile(path, option: option)
        }
        switch (noise, seed) {
        case (nil, nil): throw ValidationError("give the starting noise with --noise FILE or --seed N")
        case (.some, .some): throw ValidationError("--noise and --seed exclude each other")
        case (.some(let path), nil): try requireFile(path, option: "--noise")
        case (nil, .some): break
        }
        try OptionRange.check("--steps", steps, DubbingOptions.stepsRange)
        do {
            _ = try sampler.sampler.schedule(NoiseSchedule.diffDub, steps: steps)
        } catch {
            throw ValidationError("--steps: \(error)")
        }
        guard output.lowercased().hasSuffix(".npy") || output.lowercased().hasSuffix(".png") else {
            throw ValidationError("--output \(output): expected a .npy or .png path")
        }
        if let imageSize { try OptionRange.check("--image-size", imageSize, OptionRange.imageSize) }
        if let bf16WinogradTile, !OptionRange.winogradTiles.contains(bf16WinogradTile) {
            throw ValidationError("--bf16-winograd-tile \(bf16WinogradTile): expected 2, 4 or 6")
        }
    }

    /// What the output may replace: never an input array or the checkpoint.
    private var outputGuard: OutputGuard {
        let inputs: [(role: String, path: String?)] = [
            ("stage-1 checkpoint", stage1), ("frames", xStart), ("reference", reference), ("mask", mask),
            ("latents", latent), ("noise", noise),
        ]
        return makeOutputGuard(inputs: inputs, overwrite: overwrite)
    }

    func run() throws {
        try outputGuard.check(path: output)
        PrecisionNotice.warnIfUnsupported(precision)
        // The tuned compute settings (threads, buffer pool) for every model call below; the
        // precision is handed to each model call.
        try ComputeSettings().run { try runModels() }
    }

    private func runModels() throws {
        let renderer = try Renderer(
            checkpoint: URL(fileURLWithPath: stage1), imageSize: imageSize, limits: .ofThisCommand)
        let s = renderer.imageSize
        let frames = try readImages(xStart, imageSize: s, allowSingle: true)
        let n = frames.shape[0]
        if output.lowercased().hasSuffix(".png") {
            for url in Self.imageURLs(output, count: n) { try outputGuard.check(url) }
        }
        let references = try readImages(reference, imageSize: s, allowSingle: true, batch: n)
        let maskArray = try NumPyFile.readFiniteTensor(URL(fileURLWithPath: mask), limits: .ofThisCommand)
        let masks: Tensor
        do {
            masks = try Renderer.inpaintingMask(maskArray, imageSize: s)
        } catch {
            throw CommandError("\(mask): \(error)")
        }
        guard masks.shape[0] == 1 || masks.shape[0] == n else {
            throw CommandError("\(mask): \(masks.shape[0]) masks for \(n) frames")
        }
        var latents = try NumPyFile.readFiniteTensor(URL(fileURLWithPath: latent), limits: .ofThisCommand)
        let style = renderer.configuration.unet.styleChannels
        if latents.shape == [style] { latents = latents.reshaped([1, style]) }
        guard latents.shape == [n, style] else {
            throw CommandError("\(latent): shape \(latents.shape), expected [\(n), \(style)]")
        }
        let startNoise: Tensor
        if let noise {
            startNoise = try readImages(noise, imageSize: s, allowSingle: true, batch: n)
        } else {
            startNoise = GaussianNoise.sample(shape: [1, 3, s, s], seed: seed ?? 0)
        }
        let started = Date()
        let quiet = quiet
        var kernels = KernelSettings(precision: precision)
        if let bf16WinogradTile { kernels.largestWinogradTileBF16 = bf16WinogradTile }
        let frames01 = try renderer.render(
            frames: frames, reference: references, masks: masks, latents: latents, noise: startNoise, steps: steps,
            sampler: sampler.sampler, kernels: kernels
        ) { done, total in
            guard !quiet else { return }
            let seconds = Date().timeIntervalSince(started)
            FileHandle.standardError.write(
                Data(String(format: "\rstep %d/%d  %.1f s", done, total, seconds).utf8 + (done == total ? [10] : [])))
        }
        if output.lowercased().hasSuffix(".png") {
            for (index, url) in Self.imageURLs(output, count: n).enumerated() {
                try PNGFile.write(RGBImage(unitTensor: frames01, index: index), to: url)
            }
        } else {
            try NumPyFile.write(frames01, to: URL(fileURLWithPath: output))
        }
    }

    /// `path` itself for one image, `stem_0000.png`, `stem_0001.png`, ... for several.
    static func imageURLs(_ path: String, count: Int) -> [URL] {
        let url = URL(fileURLWithPath: path)
        guard count > 1 else { return [url] }
        let stem = url.deletingPathExtension().lastPathComponent
        let folder = url.deletingLastPathComponent()
        return (0..<count).map { folder.appendingPathComponent(String(format: "%@_%04d.png", stem, $0)) }
    }
}

/// Reads a `.npy` image batch `[N, 3, S, S]` (or `[3, S, S]` when `allowSingle`), checking the
/// size and, when `batch` is given, that N is 1 or `batch`.
func readImages(_ path: String, imageSize s: Int, allowSingle: Bool, batch: Int? = nil) throws -> Tensor {
    var images = try NumPyFile.readFiniteTensor(URL(fileURLWithPath: path), limits: .ofThisCommand)
    if allowSingle, images.shape == [3, s, s] { images = images.reshaped([1, 3, s, s]) }
    let shape = images.shape
    let batchOK = batch.map { shape.first == 1 || shape.first == $0 } ?? ((shape.first ?? 0) > 0)
    guard shape.count == 4, batchOK, shape[1] == 3, shape[2] == s, shape[3] == s else {
        let n = batch.map { "\($0) or 1" } ?? "N"
        throw CommandError("\(path): shape \(shape), expected [\(n), 3, \(s), \(s)]")
    }
    return images
}
