import ArgumentParser
import DiffDubCore
import DiffDubIO
import Foundation

/// `diffdub lip-latents`: stage 2 on its own, Hubert features + reference latents -> lip latents.
struct LipLatentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lip-latents",
        abstract: "Predict one lip latent per 25 fps frame from Hubert features and reference lip latents (stage 2).",
        discussion: """
            Runs DiffDub's stage-2 conformer. Sizes are read from the checkpoint (the released \
            stage2_state_dict.ckpt: Hubert-large 25 x 1024 features, 512-d latents).

            --hubert   .npy of ALL Hubert hidden states, [25, T, 1024] or [1, 25, T, 1024] (50 Hz); \
            a [T, 1024] last-layer array is not enough.
            --reference .npy of reference lip latents from the stage-1 semantic encoder, [R, 512] or \
            [1, R, 512] (the original uses R = 75: one latent repeated, or the first 75 frames).
            --output   .npy written atomically, float32 [1, ceil(T / 2), 512].

            Example:
              diffdub lip-latents --stage2 stage2_state_dict.ckpt \\
                --hubert speech_hubert.npy --reference reference_latents.npy --output lip_latents.npy
            """)

    @Option(
        name: .customLong("stage2"), help: "Stage-2 checkpoint (torch.save zip or legacy format).", completion: .file())
    var checkpoint: String

    @Option(help: "Hubert hidden states .npy, [25, T, A] or [1, 25, T, A].", completion: .file(extensions: ["npy"]))
    var hubert: String

    @Option(help: "Reference lip latents .npy, [R, L] or [1, R, L].", completion: .file(extensions: ["npy"]))
    var reference: String

    @Option(help: "Output .npy for the lip latents, [1, ceil(T/2), L].", completion: .file(extensions: ["npy"]))
    var output: String

    @Flag(help: overwriteHelp)
    var overwrite = false

    func validate() throws {
        for (option, path) in [("--stage2", checkpoint), ("--hubert", hubert), ("--reference", reference)] {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw ValidationError("\(path): no such file (\(option))")
            }
        }
        let directory = URL(fileURLWithPath: output).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory) else {
            throw ValidationError("\(output): directory \(directory) does not exist (--output)")
        }
    }

    func run() throws {
        let inputs: [(role: String, path: String?)] = [
            ("stage-2 checkpoint", checkpoint), ("Hubert features", hubert), ("reference latents", reference),
        ]
        try checkOutput(output, inputs: inputs, overwrite: overwrite)
        // The tuned compute settings (threads, buffer pool) for every model call below.
        try ComputeSettings().run { try runModels() }
    }

    private func runModels() throws {
        let predictor = try LipLatentPredictor(checkpoint: URL(fileURLWithPath: checkpoint), limits: .ofThisCommand)
        let referenceLatents = try NumPyFile.readFiniteTensor(URL(fileURLWithPath: reference), limits: .ofThisCommand)
        guard referenceLatents.rank == 2 || (referenceLatents.rank == 3 && referenceLatents.shape[0] == 1) else {
            throw LipLatentsFailure(
                "\(reference): reference latents have shape \(referenceLatents.shape); expected [R, L] or [1, R, L]")
        }
        let encoded: EncodedReference
        do {
            encoded = try predictor.encodeReference(referenceLatents)
        } catch let error as LipSyncError {
            throw LipLatentsFailure("\(reference): \(error)")
        }
        let features = try NumPyFile.readFiniteTensor(URL(fileURLWithPath: hubert), limits: .ofThisCommand)
        let latents: Tensor
        do {
            latents = try predictor.predict(hubert: features, encodedReference: encoded)
        } catch let error as LipSyncError {
            throw LipLatentsFailure("\(hubert): \(error)")
        }
        let batched = latents.rank == 2 ? latents.reshaped([1] + latents.shape) : latents
        try NumPyFile.write(batched, to: URL(fileURLWithPath: output))
    }
}

/// A failure of `lip-latents`, reported as one line naming the file.
struct LipLatentsFailure: Error, CustomStringConvertible {
    /// The line printed.
    let description: String

    init(_ description: String) { self.description = description }
}
