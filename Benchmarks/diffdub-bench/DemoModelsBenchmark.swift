import DiffDubCore
import DiffDubIO
import Foundation

/// `diffdub-bench demo-models DIR [HUBERT_FRAMES]`: writes the demo's small random-weight models
/// as checkpoint files (`DIR/stage1.safetensors`, `DIR/stage2.safetensors`: 64 x 64 images,
/// 64-wide latents, 32-wide "Hubert" features) and, given a frame count, random Hubert
/// features `DIR/hubert.npy` `[25, 2 x frames, 32]`, so that `diffdub dub` and `diffdub job`
/// can be timed on long clips without the released weights (Docs/SCALE-OUT.md).
enum DemoModelsBenchmark {
    static func run(arguments: [String]) {
        guard let folder = arguments.first.map({ URL(fileURLWithPath: $0) }) else {
            print("usage: diffdub-bench demo-models DIR [FRAMES]")
            exit(64)
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // The demo's models bound from random binders; their bound tensors, under the
            // checkpoints' prefixes, load like real checkpoints.
            let stage1 = WeightBinder(randomSeed: 0)
            _ = try Renderer(stage1, configuration: DubbingDemo.rendererConfiguration)
            let stage2 = WeightBinder(randomSeed: 1)
            _ = try LipLatentPredictor(stage2, configuration: DubbingDemo.predictorConfiguration)
            for (name, binder, prefix) in [
                ("stage1", stage1, Renderer.checkpointPrefix), ("stage2", stage2, LipLatentPredictor.checkpointPrefix),
            ] {
                let dict = binder.boundStateDict
                var tensors: [String: Tensor] = [:]
                for key in dict.keys { tensors[prefix + key] = try dict[key]!.load() }
                try SafeTensorsFile.write(tensors, to: folder.appendingPathComponent("\(name).safetensors"))
            }
            if let frames = arguments.dropFirst().first.flatMap({ Int($0) }) {
                let configuration = DubbingDemo.predictorConfiguration
                var generator = SplitMix64(seed: 2)
                let shape = [configuration.hubertLayers, 2 * frames, configuration.audioWidth]
                let features = Tensor(
                    shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in generator.nextSignedUnitFloat() })
                try NumPyFile.write(features, to: folder.appendingPathComponent("hubert.npy"))
            }
            print("wrote \(folder.path)/stage1.safetensors, stage2.safetensors\(arguments.count > 1 ? ", hubert.npy" : "")")
        } catch {
            print("demo-models: \(error)")
            exit(1)
        }
    }
}
