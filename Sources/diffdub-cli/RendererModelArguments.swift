import ArgumentParser
import DiffDubIO
import Foundation

/// The two DiffDub checkpoints and the renderer's image size, shared by `diffdub dub`,
/// `diffdub job prepare` and `diffdub serve`: given as files, or found in the model folder
/// (``ModelFolders``, what `diffdub models download` fills).
struct RendererModelArguments: ParsableArguments {
    @Option(
        help: "The stage-1 checkpoint (default: stage1_state_dict.ckpt in the model folder, see diffdub models).",
        completion: .file())
    var stage1: String?

    @Option(
        help: "The stage-2 checkpoint (default: stage2_state_dict.ckpt in the model folder, see diffdub models).",
        completion: .file())
    var stage2: String?

    @Option(help: "Image size of the renderer (default: what the stage-1 checkpoint implies).")
    var imageSize: Int?

    /// Refuses a checkpoint that is neither given nor in the model folder, and an image size out
    /// of range.
    func validate() throws {
        for (flag, given, model) in [("--stage1", stage1, ReleasedModel.stage1), ("--stage2", stage2, ReleasedModel.stage2)]
        where given == nil && ModelFolders.locate(model) == nil {
            throw ValidationError(
                "\(flag) not given and \(model.entryPath) is not in the model folder (\(ModelStore.defaultFolder().path)): run `diffdub models download \(model.rawValue)` or pass \(flag) FILE")
        }
        if let imageSize { try OptionRange.check("--image-size", imageSize, OptionRange.imageSize) }
    }

    /// `--stage1`, else the model folder's stage-1 checkpoint.
    var stage1URL: URL { Self.url(stage1, .stage1) }
    /// `--stage2`, else the model folder's stage-2 checkpoint.
    var stage2URL: URL { Self.url(stage2, .stage2) }

    /// The models of a dubbing request.
    var models: DubbingRequest.Models { .files(stage1: stage1URL, stage2: stage2URL, imageSize: imageSize) }

    private static func url(_ given: String?, _ model: ReleasedModel) -> URL {
        given.map { URL(fileURLWithPath: $0) } ?? ModelFolders.locate(model) ?? URL(fileURLWithPath: model.entryPath)
    }
}
